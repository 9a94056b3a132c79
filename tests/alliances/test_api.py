"""The alliances' API: shapes and status codes as CONTRACT.md writes them."""

import pytest
from rest_framework.test import APIClient

from alliances import selectors, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def ginger(make_alliance, office, places):
    alliance = make_alliance("江村生姜联盟", kinds=("industry", "talent"))
    services.membership_add(
        actor=office, alliance=alliance, region=places["js_b"], joined_on="2022-01-01"
    )
    gone = services.membership_add(
        actor=office, alliance=alliance, region=places["yushan_v"], joined_on="2022-01-01"
    )
    services.membership_leave(actor=office, membership=gone, left_on="2022-12-31")
    return alliance


def test_list_is_paginated_with_rows(ginger, office):
    body = client_for(office).get("/api/v1/alliances/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    (row,) = body["results"]
    assert row["name"] == "江村生姜联盟" and row["kinds"] == ["industry", "talent"]
    assert row["lead_village"] == {"code": "330825206201", "name": "双戴村", "level": 5}
    assert row["member_count"] == 2


def test_list_queries_stay_flat(make_alliance, office, django_assert_max_num_queries):
    for n in range(6):
        make_alliance(f"联盟{n}")
    with django_assert_max_num_queries(6):
        assert client_for(office).get("/api/v1/alliances/").status_code == 200


def test_detail_lists_current_members(ginger, office):
    body = client_for(office).get(f"/api/v1/alliances/{ginger.pk}/").json()
    assert body["members"] == [
        {
            "region": {"code": "330825206201", "name": "双戴村", "level": 5},
            "role": "lead",
            "joined_on": "2021-03-01",
        },
        {
            "region": {"code": "330881101202", "name": "枫石村", "level": 5},
            "role": "member",
            "joined_on": "2022-01-01",
        },
    ]
    assert body["version"] == 1 and body["status"] == "active"


def test_create(office, places):
    response = client_for(office).post(
        "/api/v1/alliances/",
        {
            "name": "石榴红创客联盟",
            "founded_on": "2022-04-01",
            "lead_village": places["muchen_v"].code,
            "kinds": ["talent"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response["Location"].endswith(f"/api/v1/alliances/{response.json()['id']}/")
    assert response.json()["members"][0]["role"] == "lead"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"founded_on": "2022-02-30"}, "founded_on"),
        ({"lead_village": "330825206000"}, "lead_village"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["x"]}, "kinds"),
        ({"name": ""}, "name"),
    ],
)
def test_create_bad_input_is_400_on_the_field(office, places, body, field):
    data = {
        "name": "新联盟",
        "founded_on": "2022-04-01",
        "lead_village": places["muchen_v"].code,
        "kinds": ["talent"],
        **body,
    }
    response = client_for(office).post("/api/v1/alliances/", data, format="json")
    assert response.status_code == 400
    assert field in str(response.json())


def test_duplicate_name_is_400(ginger, office, places):
    response = client_for(office).post(
        "/api/v1/alliances/",
        {
            "name": "江村生姜联盟",
            "founded_on": "2022-04-01",
            "lead_village": places["muchen_v"].code,
            "kinds": ["talent"],
        },
        format="json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("role", "list_status", "detail_status", "post_status"),
    [
        ("leader", 200, 200, 403),
        ("entrepreneur", 403, 404, 403),
        ("handler", 403, 404, 403),
    ],
)
def test_status_codes_per_role(ginger, department, role, list_status, detail_status, post_status):
    user = UserFactory(role=role, department=department if role == "handler" else None)
    client = client_for(user)
    assert client.get("/api/v1/alliances/").status_code == list_status
    assert client.get(f"/api/v1/alliances/{ginger.pk}/").status_code == detail_status
    assert client.get("/api/v1/alliances/coverage/").status_code == list_status
    assert client.post("/api/v1/alliances/", {}, format="json").status_code == post_status


def test_outsiders_of_the_scope_get_404(ginger, county_jiangshan, other_reporter, reporter):
    # 江山's staff see it (枫石村 is theirs); 峡口村's reporter does not; 双戴's does
    assert client_for(county_jiangshan).get(f"/api/v1/alliances/{ginger.pk}/").status_code == 200
    assert client_for(other_reporter).get(f"/api/v1/alliances/{ginger.pk}/").status_code == 404
    assert client_for(other_reporter).get("/api/v1/alliances/").json()["count"] == 0
    assert client_for(reporter).get(f"/api/v1/alliances/{ginger.pk}/").status_code == 200
    assert client_for(reporter).post("/api/v1/alliances/", {}).status_code == 403


def test_anonymous_is_401():
    assert APIClient().get("/api/v1/alliances/").status_code == 401
    assert APIClient().get("/api/v1/alliances/coverage/").status_code == 401


def test_coverage_keys_and_day(ginger, office):
    client = client_for(office)
    body = client.get("/api/v1/alliances/coverage/?on=2022-06-30").json()
    assert list(body) == list(selectors.COVERAGE_KEYS)
    assert (body["alliances"], body["villages"], body["provinces"]) == (1, 3, 2)
    assert client.get("/api/v1/alliances/coverage/?on=2023-01-01").json()["villages"] == 2
    assert client.get("/api/v1/alliances/coverage/?on=").status_code == 200
    assert client.get("/api/v1/alliances/coverage/").status_code == 200


@pytest.mark.parametrize("day", ["2023-02-30", "yesterday", "2023/01/01", "20230101"])
def test_coverage_bad_day_is_400_with_a_message(office, day):
    response = client_for(office).get(f"/api/v1/alliances/coverage/?on={day}")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in str(response.json())


def test_schema_lists_the_endpoints(office):
    client = client_for(UserFactory(role="admin", is_staff=True, is_superuser=True))
    schema = client.get("/api/schema/?format=json")
    if schema.status_code == 404:
        pytest.skip("schema served elsewhere")
    paths = schema.json()["paths"]
    assert "/api/v1/alliances/" in paths
    assert "/api/v1/alliances/{id}/" in paths
    assert "/api/v1/alliances/coverage/" in paths


def test_the_schema_serializer_has_the_contracts_keys():
    from alliances.api.serializers import CoverageSerializer

    assert tuple(CoverageSerializer().fields) == selectors.COVERAGE_KEYS
