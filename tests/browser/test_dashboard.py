"""A leader opens the figures' dashboard in headless Chromium: the charts are drawn, and a number
of the department ranking opens the list of exactly that many appeals."""

import re

import pytest

from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    appeal_in,
)
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def figures(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    from enterprises.reference import ensure_reference_data
    from portal.workdays import sync_from_chinesecalendar

    ContentType.objects.clear_cache()
    ensure_reference_data()
    sync_from_chinesecalendar()
    boss = Users(username="boss", name="徐志强", role="entrepreneur")
    boss.enterprise = EnterpriseFactory(name="衢州华星新材料有限公司")
    MembershipFactory(user=boss, enterprise=boss.enterprise, status="verified")
    desk = Users(username="desk", name="王晓燕", role="dispatcher")
    jxj = DepartmentFactory(name="衢州市经济和信息化局", code="jxj-dash")
    zrj = DepartmentFactory(name="衢州市自然资源和规划局", code="zrj-dash")
    clerk = Users(username="clerk", role="handler", department=jxj)
    other = Users(username="other", role="handler", department=zrj)
    for status in ("closed", "closed", "in_progress"):
        appeal_in(status, entrepreneur=boss, dispatcher=desk, handler=clerk)
    appeal_in("assigned", entrepreneur=boss, dispatcher=desk, handler=other)
    appeal_in("accepted", entrepreneur=boss, dispatcher=desk)
    return {"leader": Users(username="chief", name="陈明", role="leader"), "jxj": jxj}


def test_leader_reads_the_dashboard_and_follows_a_number(page, live_server, figures, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "chief")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")
    page.click("nav a[href='/appeals/stats/']")
    page.wait_for_selector("[data-testid=stats-heading]")
    for chart in ("trend", "ranking", "category", "county", "source"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered=true] canvas")
    assert page.inner_text("[data-testid=kpi-closure-value]").strip() == "40.0%"
    screenshot("stats-dashboard-leader")

    row = page.locator("[data-testid=table-department-row]", has_text="衢州市经济和信息化局")
    link = row.locator("a[data-figure=closed]").first
    expected = int(link.get_attribute("data-count"))
    assert expected == 2
    link.click()
    page.wait_for_selector("[data-testid=figure-filters]")
    count = page.inner_text("[data-testid=result-count]")
    assert int(re.search(r"\d+", count).group()) == expected
    assert page.locator("[data-testid=appeal-row]").count() == expected
    screenshot("stats-drilldown-closed")
