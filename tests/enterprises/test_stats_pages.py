"""The dashboard and the monthly report: who may see them, what they show, and their queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises import services
from enterprises.selectors import stats
from tests.enterprises import stats_scenario as sc
from tests.factories import DepartmentFactory, UserFactory, appeal_in

pytestmark = pytest.mark.django_db
URL = "/appeals/stats/"


@pytest.fixture
def scenario(clock, entrepreneur, dispatcher, handler, other_handler):
    return sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )


@pytest.mark.parametrize("role", ["leader", "admin", "dispatcher", "department_head"])
def test_staff_leaders_and_heads_open_the_dashboard(client, department, role):
    client.force_login(UserFactory(role=role, department=department))
    response = client.get(URL)
    assert response.status_code == 200
    assert b'data-testid="kpis"' in response.content
    assert b"echarts.min.js" in response.content


@pytest.mark.parametrize("role", ["handler", "entrepreneur"])
def test_handlers_and_entrepreneurs_get_403(client, department, role):
    client.force_login(UserFactory(role=role, department=department if role == "handler" else None))
    for url in (URL, "/appeals/stats/report/", "/appeals/stats/export/"):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_menu_shows_statistics_to_leaders_not_handlers(client, handler, leader):
    client.force_login(leader)
    assert 'href="/appeals/stats/"' in client.get("/").content.decode()
    client.force_login(handler)
    assert 'href="/appeals/stats/"' not in client.get("/").content.decode()


def test_numbers_and_dashes_on_the_page(scenario, client, leader):
    client.force_login(leader)
    response = client.get(URL, sc.PERIOD)
    html = response.content.decode()
    kpis = {k["key"]: k for k in response.context["kpis"]}
    assert kpis["closure"]["text"] == "50.0%"
    assert kpis["on_time"]["text"] == "80.0%"
    assert kpis["handling"]["text"] == "9.6 / 9"
    assert kpis["overdue"]["text"] == "3"
    ranking = response.context["ranking"]
    assert [r["label"] for r in ranking["rows"]][:2] == [scenario.a.name, scenario.b.name]
    unrouted = ranking["rows"][2]
    texts = {c["name"]: c["text"] for c in unrouted["cells"]}
    assert texts["on_time_rate"] == "—"
    assert texts["avg_handling_days"] == "—"
    assert texts["closure_rate"] == "0.0%"
    assert 'data-testid="lowest-badge"' in html
    # Every number of the tables is a link to the appeal list.
    links = re.findall(r'href="(/appeals/\?[^"]+)"', html)
    assert len(links) > 100
    assert all("figure=" in link for link in links)


def test_filter_errors_next_to_their_fields(client, leader):
    client.force_login(leader)
    response = client.get(URL, {"from": "2026-11-30", "to": "2026-11-01", "department": "999999"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"to", "department"}
    html = response.content.decode()
    assert 'data-testid="error-to"' in html
    assert 'data-testid="error-department"' in html
    assert 'data-testid="kpis"' not in html
    response = client.get(URL, {"from": "30/11/2026"})
    assert "from" in response.context["form"].errors


def test_head_sees_only_own_department(scenario, client, handler):
    head = UserFactory(role="department_head", department=handler.department)
    client.force_login(head)
    response = client.get(URL, sc.PERIOD)
    rows = response.context["ranking"]["rows"]
    assert [r["label"] for r in rows] == [handler.department.name]
    assert response.context["kpis"][0]["text"] == "80.0%"  # A: 4 of 5 closed
    other = client.get(URL, {**sc.PERIOD, "department": scenario.b.pk})
    assert "department" in other.context["form"].errors


def test_monthly_report_is_printable_and_ranks_departments(scenario, client, leader):
    client.force_login(leader)
    response = client.get("/appeals/stats/report/", {"month": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "@media print" in (
        open("static/portal/css/stats.css", encoding="utf-8").read()  # noqa: SIM115
    )
    assert 'data-testid="monthly-report"' in html
    assert response.context["first"].isoformat() == "2026-11-01"
    # November holds the ten appeals of the period and a13 (accepted 11-14).
    assert response.context["kpis"][0]["parts"][1]["text"] == "11"
    labels = [r["label"] for r in response.context["ranking"]["rows"]]
    assert labels[:2] == [scenario.a.name, scenario.b.name]
    assert client.get("/appeals/stats/report/", {"month": "2026-13"}).status_code == 400
    assert client.get("/appeals/stats/report/", {"month": "soon"}).status_code == 400


def _queries(client, url, params=None) -> list[str]:
    client.get(url, params)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _grow(departments: int, dispatcher, entrepreneur, leader) -> None:
    for n in range(departments):
        department = DepartmentFactory()
        handler = UserFactory(role="handler", department=department)
        appeal = appeal_in(
            "replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
        )
        if n % 2:
            services.appeal_rate(appeal=appeal, actor=entrepreneur, rating="satisfied")


def test_dashboard_and_api_queries_stay_flat_from_2_to_20_departments(
    client, dispatcher, entrepreneur, leader
):
    client.force_login(leader)
    _grow(2, dispatcher, entrepreneur, leader)
    page_small = _queries(client, URL)
    api_small = _queries(client, "/api/v1/stats/appeals/", {"group_by": "department"})
    report_small = _queries(client, "/appeals/stats/report/")
    _grow(18, dispatcher, entrepreneur, leader)
    page_large = _queries(client, URL)
    api_large = _queries(client, "/api/v1/stats/appeals/", {"group_by": "department"})
    report_large = _queries(client, "/appeals/stats/report/")
    for label, small, large in (
        ("page", page_small, page_large),
        ("api", api_small, api_large),
        ("report", report_small, report_large),
    ):
        assert len(small) == len(large), f"{label}: {len(small)} vs {len(large)}\n" + "\n".join(
            large
        )
    assert len(api_large) <= 10
    assert stats.appeal_stats(leader, group_by="department").rows  # 20 departments counted
