"""``GET /api/v1/stats/appeals/`` exactly as CONTRACT.md describes it."""

import pytest
from rest_framework.test import APIClient

from enterprises.selectors import stats
from tests.enterprises import stats_scenario as sc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/appeals/"
CONTRACT_FIELDS = {
    "key",
    "label",
    "accepted",
    "closed",
    "closure_rate",
    "on_time_rate",
    "satisfaction_rate",
    "sign_in_time_rate",
    "return_rate",
    "rehandle_rate",
    "avg_handling_days",
    "overdue_open",
}


@pytest.fixture(params=sc.ROLLUP_MODES)
def scenario(request, clock, entrepreneur, dispatcher, handler, other_handler):
    """The scenario with the roll-up built, every day counted live, or a mix of both."""
    built = sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )
    sc.settle(request.param)
    return built


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_contract_shape_and_figures_by_department(scenario, leader):
    response = api(leader).get(URL, {"group_by": "department", **sc.PERIOD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"rows", "total"}
    for row in [*body["rows"], body["total"]]:
        assert set(row) >= CONTRACT_FIELDS
    rows = {r["key"]: r for r in body["rows"]}
    assert rows[scenario.a.pk]["label"] == scenario.a.name
    assert rows[scenario.a.pk]["closure_rate"] == 0.8
    assert rows[None]["on_time_rate"] is None  # nothing to divide: null
    assert body["total"]["key"] is None
    for name, value in sc.EXPECTED_TOTAL.items():
        assert body["total"][name] == value, name


@pytest.mark.parametrize(
    ("group_by", "keys"),
    [("month", ["2026-11"]), ("source", ["platform"]), ("county", [None])],
)
def test_keys_of_each_grouping(scenario, leader, group_by, keys):
    body = api(leader).get(URL, {"group_by": group_by, **sc.PERIOD}).json()
    assert [r["key"] for r in body["rows"]] == keys


def test_category_key_is_the_category_id(scenario, leader):
    from tests.factories import category

    body = api(leader).get(URL, {"group_by": "category", **sc.PERIOD}).json()
    assert [r["key"] for r in body["rows"]] == [category().pk]


def test_without_group_by_only_the_total(scenario, dispatcher):
    body = api(dispatcher).get(URL, sc.PERIOD).json()
    assert body["rows"] == []
    assert body["total"]["accepted"] == 10


@pytest.mark.parametrize("role", ["leader", "dispatcher", "admin"])
def test_staff_and_leaders_read_everything(scenario, role):
    body = api(UserFactory(role=role)).get(URL, {"group_by": "department", **sc.PERIOD}).json()
    assert len(body["rows"]) == 3


def test_department_head_reads_own_rows_only(scenario, handler):
    head = UserFactory(role="department_head", department=handler.department)
    colleague_head = UserFactory(role="department_head", department=scenario.b)
    body = api(head).get(URL, {"group_by": "department", **sc.PERIOD}).json()
    assert [r["key"] for r in body["rows"]] == [scenario.a.pk]
    assert body["total"]["accepted"] == 5
    body = api(colleague_head).get(URL, {"group_by": "category", **sc.PERIOD}).json()
    assert [r["accepted"] for r in body["rows"]] == [3]
    # Asking for another department's figures is refused, not silently emptied.
    response = api(head).get(URL, {"department": scenario.b.pk})
    assert response.status_code == 400
    assert "department" in response.json()


def test_group_by_session_keeps_appeals_not_raised_at_a_session_in_a_row(scenario, leader):
    """(Figures of real sessions: ``test_rollup.test_figures_by_dialogue_session``.)"""
    assert "session" in stats.GROUPINGS
    body = api(leader).get(URL, {"group_by": "session", **sc.PERIOD}).json()
    assert [(r["key"], r["accepted"]) for r in body["rows"]] == [(None, 10)]
    assert body["total"]["accepted"] == 10


@pytest.mark.parametrize("role", ["handler", "entrepreneur"])
def test_handlers_and_entrepreneurs_get_403(department, role):
    user = UserFactory(role=role, department=department if role == "handler" else None)
    response = api(user).get(URL, {"group_by": "department"})
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code"}


def test_anonymous_gets_401():
    assert api(None).get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "weather"}, "group_by"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
        ({"department": "999999"}, "department"),
        ({"department": "abc"}, "department"),
        ({"category": "999999"}, "category"),
        ({"county": "999999"}, "county"),
        ({"source": "pigeon"}, "source"),
    ],
)
def test_bad_parameters_get_400_with_a_message_on_the_field(leader, params, field):
    response = api(leader).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert isinstance(body[field], list) and body[field][0]


def test_documented_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/stats/appeals/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"group_by", "from", "to", "department", "category", "county", "source", "session"} <= (
        names
    )
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    row_ref = (
        body["properties"]["total"]["allOf"][0]["$ref"]
        if "allOf" in body["properties"]["total"]
        else body["properties"]["total"]["$ref"]
    )
    row = schema["components"]["schemas"][row_ref.rsplit("/", 1)[1]]
    assert set(row["properties"]) >= CONTRACT_FIELDS
