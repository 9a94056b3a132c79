"""The reports' and figures' API: the status codes of CONTRACT.md for each role."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from alliances.models import Alliance, Membership
from alliances.services import ensure_indicators
from tests.factories import UserFactory

BASE = "/api/v1/alliances/reports/"
VALUES = {"collective_income": "662000", "operating_income": "353000"}


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


def client(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


@pytest.fixture
def created(reporter, places):
    response = client(reporter).post(
        BASE,
        {"village": places["shuangdai"].code, "period": "2023H1", "values": VALUES},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_answers_the_detail(created):
    assert created["status"] == "draft"
    assert created["values"] == {"collective_income": "662000.00", "operating_income": "353000.00"}
    assert created["actions"] == ["submit", "edit"]
    assert [s["action"] for s in created["steps"]] == ["create"]


def test_anonymous_is_401_and_outsiders_403_or_404(created, places):
    assert client().get(BASE).status_code == 401
    entrepreneur = UserFactory(role="entrepreneur")
    assert client(entrepreneur).get(BASE).status_code == 403
    assert client(entrepreneur).get(f"{BASE}{created['id']}/").status_code == 404
    assert client(entrepreneur).post(f"{BASE}{created['id']}/submit/").status_code == 404


def test_bad_input_is_400_per_field(reporter, places):
    c = client(reporter)
    r = c.post(BASE, {"village": places["shuangdai"].code, "period": "2023Q1"}, format="json")
    assert r.status_code == 400 and "period" in r.json()
    r = c.post(BASE, {"village": "12", "period": "2023H1"}, format="json")
    assert r.status_code == 400 and "village" in r.json()
    r = c.post(
        BASE,
        {
            "village": places["shuangdai"].code,
            "period": "2023H1",
            "values": {"collective_income": "x"},
        },
        format="json",
    )
    assert r.status_code == 400 and "collective_income" in r.json()


def test_workflow_status_codes(
    created, reporter, other_reporter, county_longyou, county_jiangshan, office
):
    pk = created["id"]
    url = f"{BASE}{pk}/"
    assert client(office).post(f"{BASE}").status_code in (400, 403)
    assert client(office).post(f"{url}submit/").status_code == 403  # not the village's reporter
    assert client(other_reporter).post(f"{url}submit/").status_code == 404  # another village
    assert client(county_jiangshan).post(f"{url}check/").status_code == 404  # another county
    assert client(county_longyou).post(f"{url}check/").status_code == 409  # a draft
    assert client(office).post(f"{url}approve/").status_code == 409
    r = client(reporter).post(f"{url}submit/")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert client(reporter).post(f"{url}submit/").status_code == 409
    assert (
        client(reporter).post(f"{url}edit/", {"values": VALUES}, format="json").status_code == 409
    )
    assert client(county_longyou).post(f"{url}return/", {}, format="json").status_code == 400
    assert client(county_longyou).post(f"{url}check/").json()["status"] == "checked"
    assert client(reporter).post(f"{url}approve/").status_code == 403
    r = client(office).post(f"{url}return/", {"reason": "经营性收入偏高"}, format="json")
    assert r.status_code == 200 and r.json()["return_reason"] == "经营性收入偏高"
    revision = r.json()["revision"]
    r = client(reporter).post(
        f"{url}edit/",
        {"values": {"operating_income": "353500"}, "revision": revision},
        format="json",
    )
    assert r.status_code == 200
    stale = client(reporter).post(
        f"{url}edit/", {"values": {"operating_income": "1"}, "revision": revision}, format="json"
    )
    assert stale.status_code == 409
    for who, step in ((reporter, "submit"), (county_longyou, "check"), (office, "approve")):
        assert client(who).post(f"{url}{step}/").status_code == 200
    approved = client(reporter).get(url).json()
    assert approved["status"] == "approved" and approved["is_effective"]
    assert approved["actions"] == ["correct"]
    # Approved: locked in place, every step 409.
    assert (
        client(reporter).post(f"{url}edit/", {"values": VALUES}, format="json").status_code == 409
    )
    for who, step in (
        (reporter, "submit"),
        (county_longyou, "check"),
        (office, "approve"),
        (office, "return"),
    ):
        assert client(who).post(f"{url}{step}/", {"reason": "x"}, format="json").status_code == 409
    r = client(reporter).post(f"{url}correct/", {"reason": "补报租金收入"}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 2
    assert [v["version"] for v in r.json()["versions"]] == [1, 2]
    assert (
        client(reporter).post(f"{url}correct/", {"reason": "again"}, format="json").status_code
        == 409
    )
    assert client(county_longyou).get(BASE).json()["count"] == 2
    assert client(county_jiangshan).get(BASE).json()["count"] == 0
    assert client(office).get(BASE, {"period": "bad"}).status_code == 400
    assert client(office).patch(url, {}, format="json").status_code == 405


def test_figures_endpoint(places, office, reporter):
    a = Alliance.objects.create(
        name="联盟", founded_on=dt.date(2021, 1, 1), lead_village=places["shuangdai"]
    )
    Membership.objects.create(alliance=a, region=places["shuangdai"], joined_on=dt.date(2021, 1, 1))
    url = "/api/v1/alliances/figures/"
    assert client().get(url, {"period": "2023H1"}).status_code == 401
    assert (
        client(UserFactory(role="entrepreneur")).get(url, {"period": "2023H1"}).status_code == 403
    )
    assert client(office).get(url, {"period": "2023-1"}).status_code == 400
    assert client(office).get(url).status_code == 400
    assert client(office).get(url, {"period": "2023H1", "group_by": "x"}).status_code == 400
    data = client(office).get(url, {"period": "2023H1", "group_by": "county"}).json()
    assert set(data) >= {"rows", "total"} and data["rows"] == []
    data = client(office).get(url, {"period": "2023H1", "group_by": "alliance"}).json()
    assert data["total"]["villages"] == 0
    assert set(data["total"]["indicators"]["collective_income"]) >= {"total", "average"}


def test_the_list_query_count_is_flat(office, places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.alliances.test_figures import report

    c = client(office)
    report(places["shuangdai"], "2023H1", "1", "1")
    with CaptureQueriesContext(connection) as few:
        assert c.get(BASE).status_code == 200
    for key in ("muchen_v", "plain_ly", "js_a", "js_b", "yushan_v"):
        report(places[key], "2023H1", "1", "1")
    with CaptureQueriesContext(connection) as more:
        assert c.get(BASE).json()["count"] == 6
    assert len(more.captured_queries) == len(few.captured_queries)
