"""Supervision visits in headless Chromium: a leader sees their county without a visit this
week on the home page, records a visit with a follow-up item (the county's units as
checkboxes), and finds the item with its due date on the visit's page — on a desktop and on a
phone (390 × 844: nothing wider than the screen, lists as cards). Screenshots go to the
browser tests' artefacts folder (and /tmp/shots-grassroots)."""

from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def county(transactional_db):
    """Leader 周领导 tied to 江山市, its county staff 毛建华 (the follow-up's owner), two units
    of 江山 and one of 柯城, a published case."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from grassroots.models import LeaderTie, Unit
    from grassroots.services import cases as case_services
    from portal import workdays
    from portal.models import Region
    from portal.regions import ensure_built_in_regions
    from portal.services import role_grant

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    workdays.sync_from_chinesecalendar()
    workdays.invalidate()
    jiangshan = Region.objects.get(code="330881000000")
    kecheng = Region.objects.get(code="330802000000")
    leader = Users(username="lead1", name="周领导", role="leader")
    staff = Users(username="county1", name="毛建华", role="county_staff")
    role_grant(user=staff, role="county_staff", region=jiangshan, actor=None)
    office = Users(username="desk", name="王受理", role="dispatcher")
    LeaderTie.objects.create(leader=leader, county=jiangshan, starts_on=dt.date(2025, 1, 1))
    Unit.objects.create(domain="township", name="双塔街道", region=jiangshan)
    Unit.objects.create(domain="community", name="城北社区", region=jiangshan)
    Unit.objects.create(domain="park", name="柯城科技产业园", region=kecheng)
    case = case_services.case_create(
        actor=staff,
        data={
            "title": "新乡贤助力共享食堂",
            "domain": "township",
            "region": jiangshan,
            "summary": "乡贤捐资出力，办起老人共享食堂。",
            "body": "在外乡贤捐资捐物，村集体补一点，老人出一点。",
            "tags": "新乡贤，养老",
        },
    )
    case_services.case_step(actor=staff, case=case, step="recommend")
    case_services.case_step(actor=office, case=case, step="publish")
    yield {"leader": leader, "staff": staff, "jiangshan": jiangshan}
    workdays.invalidate()


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def shot(page, name: str) -> None:
    for folder in (ARTIFACTS, Path("/tmp/shots-grassroots")):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def serious_axe_findings(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:6])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def record_a_visit(page, live_server, name: str) -> None:
    from grassroots.models import Visit

    log_in(page, live_server, "lead1")
    panel = page.locator("[data-testid=grassroots-visits-panel]")
    assert "江山市" in panel.inner_text()
    shot(page, f"gr-{name}-home")
    page.locator("[data-testid=grassroots-missing] a", has_text="江山市").click()
    page.wait_for_selector("[data-testid=visit-form]")
    boxes = page.locator("[data-testid=unit-checkboxes] input[type=checkbox]")
    assert boxes.count() == 2  # 江山's units only
    page.get_by_label("双塔街道").check()
    page.fill("textarea[name=findings]", "统战工作站阵地规范；联络员调整后未备案。")
    page.fill("input[name=fu-0-title]", "补齐统战联络员备案")
    page.select_option("select[name=fu-0-owner]", label="毛建华")
    page.fill("input[name=fu-0-due_in_days]", "3")
    shot(page, f"gr-{name}-form")
    assert fits_the_screen(page)
    page.click("[data-testid=visit-save]")
    page.wait_for_selector("[data-testid=visit-title]")
    items = page.locator("[data-testid=follow-up]")
    assert items.count() == 1
    assert "补齐统战联络员备案" in items.inner_text() and "毛建华" in items.inner_text()
    visit = Visit.objects.get()
    due = visit.follow_ups.get().due_on
    assert due.strftime("%Y-%m-%d") in items.inner_text()
    shot(page, f"gr-{name}-visit")
    assert fits_the_screen(page)
    # The county is visited this week: it leaves the home panel.
    page.goto(f"{live_server.url}/")
    assert "江山市" not in page.locator("[data-testid=grassroots-visits-panel]").inner_text()


def test_a_leader_records_a_visit_with_a_follow_up(page, live_server, county):
    record_a_visit(page, live_server, "desktop")
    page.goto(f"{live_server.url}/grassroots/visits/")
    assert page.locator("[data-testid=visit-card]").count() == 1
    shot(page, "gr-desktop-visits")
    assert serious_axe_findings(page) == []


def test_on_a_phone(browser, live_server, county):
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        record_a_visit(phone, live_server, "phone")
        # The owner closes the item on the phone.
        log_in(phone, live_server, "county1")
        phone.goto(f"{live_server.url}/grassroots/visits/")
        phone.locator("[data-testid=visit-card] a").first.click()
        phone.fill("[data-testid=close-form] input[name=note]", "已补齐备案")
        phone.click("[data-testid=close-form] button")
        phone.wait_for_selector("[data-testid=close-note]")
        shot(phone, "gr-phone-closed")
        for name, path in (("visits", "/grassroots/visits/"), ("cases", "/grassroots/cases/")):
            phone.goto(f"{live_server.url}{path}")
            shot(phone, f"gr-phone-{name}")
            assert fits_the_screen(phone), f"{path} is wider than the phone"
        cards = phone.locator("[data-testid=case-card]")
        assert cards.count() == 1
        cards.locator("a").click()
        phone.wait_for_selector("[data-testid=case-title]")
        shot(phone, "gr-phone-case")
        assert fits_the_screen(phone)
        assert serious_axe_findings(phone) == []
    finally:
        context.close()
