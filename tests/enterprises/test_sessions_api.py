"""``/api/v1/sessions/`` and ``/api/v1/screens/``: fields per CONTRACT.md, scoping (owner,
colleague, outsider), every error code, and flat query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.models import DialogueSession, Screen, SessionInvitation
from enterprises.services import sessions as services
from tests.enterprises.sessions_setup import SESSION_DAY, build_cast, hold, member, record_need
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"


@pytest.fixture
def cast(db, clock):
    return build_cast()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
    return client


def detail(cast) -> str:
    return f"{SESSIONS}{cast.session.pk}/"


def test_the_list_has_the_contract_fields(cast, clock):
    hold(cast, clock)
    record_need(cast, cast.a, title="用地指标")
    response = api(cast.dispatcher).get(SESSIONS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert {
        "id",
        "number",
        "theme",
        "held_on",
        "status",
        "invited_count",
        "appeal_count",
        "closed_count",
    } <= set(row)
    assert (row["number"], row["held_on"], row["status"]) == (1, "2026-11-05", "held")
    assert (row["invited_count"], row["appeal_count"], row["closed_count"]) == (2, 1, 0)
    assert row["closure_rate"] is None  # nothing accepted yet


@pytest.mark.parametrize(
    ("who", "count"),
    [
        ("dispatcher", 1),
        ("leader", 1),
        ("admin", 1),
        ("owner", 1),
        ("guest", 1),
        ("colleague", 0),
        ("outsider", 0),
        ("handler", 0),
    ],
)
def test_the_list_and_the_detail_are_scoped(cast, who, count):
    client = api(getattr(cast, who))
    assert client.get(SESSIONS).json()["count"] == count
    assert client.get(detail(cast)).status_code == (200 if count else 404)


def test_no_token_is_401(cast):
    assert api().get(SESSIONS).status_code == 401
    assert api().get(detail(cast)).status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nope")
    assert bad.get("/api/v1/screens/").status_code == 401


def test_the_detail_has_participants_counts_and_scoped_appeals(cast, clock):
    services.session_add_expert(
        session=cast.session, actor=cast.dispatcher, name="林建平", field="化工新材料"
    )
    hold(cast, clock)
    own = record_need(cast, cast.a, title="我方诉求")
    other = record_need(cast, cast.c, title="同桌秘密诉求", instruction="同桌的交办意见")

    staff = api(cast.leader).get(detail(cast)).json()
    assert staff["hosts"] == [{"id": cast.leader.pk, "name": "周书记"}]
    assert staff["experts"] == [{"name": "林建平", "organisation": "", "field": "化工新材料"}]
    assert {i["user"]["name"] for i in staff["invitations"]} == {"徐志强", "吴同桌"}
    assert (staff["invited_count"], staff["appeal_count"]) == (2, 2)
    assert {a["title"] for a in staff["appeals"]} == {"我方诉求", "同桌秘密诉求"}
    assert staff["minutes"] == ""

    mine = api(cast.owner).get(detail(cast)).json()
    assert [i["user"]["name"] for i in mine["invitations"]] == ["徐志强"]
    assert mine["minutes"] is None
    rows = {a["id"]: a for a in mine["appeals"] if a["full"]}
    assert list(rows) == [own.pk]
    hidden = [a for a in mine["appeals"] if not a["full"]]
    assert len(hidden) == 1
    assert hidden[0]["id"] is None and hidden[0]["category"] == "融资信贷"
    text = str(mine)
    for secret in (other.title, other.content, other.number, "同桌的交办意见", cast.c.name):
        assert secret not in text


def test_planning_through_the_api(cast):
    payload = {
        "number": 2,
        "theme": "数字经济赋能实体经济",
        "held_on": "2026-11-19",
        "start_time": "14:30",
        "venue": "市行政中心",
        "hosts": [cast.leader.pk],
        "experts": [{"name": "沈晓梅", "organisation": "衢州学院"}],
    }
    response = api(cast.dispatcher).post(SESSIONS, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 2 and body["status"] == "planned"
    assert body["experts"][0]["name"] == "沈晓梅"
    assert response["Location"] == f"{SESSIONS}{body['id']}/"
    assert "invite" in body["actions"]


def test_planning_errors(cast):
    assert api(cast.owner).post(SESSIONS, {}, format="json").status_code == 403
    assert api(cast.leader).post(SESSIONS, {}, format="json").status_code == 403
    response = api(cast.dispatcher).post(
        SESSIONS,
        {"number": 1, "theme": "", "held_on": "2026-11-19", "venue": "", "hosts": [cast.owner.pk]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert {"number", "theme", "venue", "hosts"} <= set(body)
    response = api(cast.dispatcher).post(SESSIONS, {"number": "x"}, format="json")
    assert response.status_code == 400 and "held_on" in response.json()
    assert DialogueSession.objects.count() == 1


def test_inviting_and_answering_through_the_api(cast, clock):
    enterprise = EnterpriseFactory()
    boss = member(enterprise)
    response = api(cast.dispatcher).post(
        f"{detail(cast)}invite/", {"user": boss.pk, "enterprise": enterprise.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["invited_count"] == 3
    response = api(cast.dispatcher).post(
        f"{detail(cast)}invite/", {"user": boss.pk, "enterprise": enterprise.pk}, format="json"
    )
    assert response.status_code == 400 and "user" in response.json()
    assert (
        api(cast.owner)
        .post(f"{detail(cast)}invite/", {"user": 1, "enterprise": 1}, format="json")
        .status_code
        == 403
    )

    owner = api(cast.owner)
    response = owner.post(f"{detail(cast)}answer/", {"answer": "accepted"}, format="json")
    assert response.status_code == 200
    assert response.json()["invitations"][0]["answer"] == "accepted"
    assert owner.post(f"{detail(cast)}answer/", {"answer": "?"}, format="json").status_code == 400
    assert (
        api(cast.colleague)
        .post(f"{detail(cast)}answer/", {"answer": "accepted"}, format="json")
        .status_code
        == 404
    )
    assert (
        api(cast.dispatcher)
        .post(f"{detail(cast)}answer/", {"answer": "accepted"}, format="json")
        .status_code
        == 403
    )
    hold(cast, clock)
    response = api(cast.guest).post(f"{detail(cast)}answer/", {"answer": "declined"}, format="json")
    assert response.status_code == 409
    assert SessionInvitation.objects.get(user=cast.guest).answer == "pending"


def test_screens_are_listed_for_signed_in_callers(cast):
    Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心")
    Screen.objects.create(name="停用的屏", slug="old", location="旧址", is_active=False)
    response = api(cast.owner).get("/api/v1/screens/")
    assert response.status_code == 200
    assert [(s["slug"], s["name"], s["location"]) for s in response.json()] == [
        ("city-hall", "市行政中心大屏", "市行政中心")
    ]
    assert response.json()[0]["kiosk_url"].endswith("/screens/city-hall/")
    assert api().get("/api/v1/screens/").status_code == 401


def test_the_schema_documents_the_endpoints(cast):
    schema = api(cast.dispatcher).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/sessions/", "/api/v1/sessions/{id}/", "/api/v1/screens/"} <= set(paths)


# --- query counts ---------------------------------------------------------------------------


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_the_list_endpoint_runs_a_fixed_number_of_queries(cast):
    def grow(count):
        start = DialogueSession.objects.count() + 1
        for number in range(start, start + count):
            session = services.session_create(
                actor=cast.dispatcher,
                number=number,
                theme=f"主题{number}",
                held_on=SESSION_DAY + dt.timedelta(days=14 * number),
                venue="会议室",
            )
            services.session_invite(
                session=session, actor=cast.dispatcher, user=cast.owner, enterprise=cast.a
            )

    grow(4)
    small = [queries(api(u), f"{SESSIONS}?page_size=50") for u in (cast.dispatcher, cast.owner)]
    grow(45)
    large = [queries(api(u), f"{SESSIONS}?page_size=50") for u in (cast.dispatcher, cast.owner)]
    assert small == large


def test_the_detail_endpoint_runs_a_fixed_number_of_queries(cast, clock):
    hold(cast, clock)
    for n in range(5):
        record_need(cast, cast.a if n % 2 else cast.c, title=f"诉求{n}")
    small = [queries(api(u), detail(cast)) for u in (cast.dispatcher, cast.owner)]
    for n in range(45):
        record_need(cast, cast.a if n % 2 else cast.c, title=f"更多{n}")
    large = [queries(api(u), detail(cast)) for u in (cast.dispatcher, cast.owner)]
    assert small == large


def test_the_screens_endpoint_runs_a_fixed_number_of_queries(cast):
    def grow(start, count):
        Screen.objects.bulk_create(
            Screen(name=f"大屏{n}", slug=f"screen-{n}", location=f"地点{n}")
            for n in range(start, start + count)
        )

    grow(0, 5)
    small = queries(api(cast.owner), "/api/v1/screens/")
    grow(5, 45)
    assert queries(api(cast.owner), "/api/v1/screens/") == small
    assert len(api(cast.owner).get("/api/v1/screens/").json()) == 50
