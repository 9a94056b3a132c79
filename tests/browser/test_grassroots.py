"""The grassroots index in headless Chromium: the office submits and locks the demo's 2024
period and the ranking shows, on a desktop and on a phone (390 × 844); the unit lead's unit page
with its overdue duties on the phone; nothing wider than the screen, no serious or critical
axe-core finding. Screenshots go to the browser tests' artefacts folder (and
/tmp/shots-grassroots/)."""

import shutil
from pathlib import Path

import pytest

from tests.browser.test_xiangxian import PHONE, fits_the_screen, serious_axe_findings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots-grassroots")
PASSWORD = "tongxin-demo"


@pytest.fixture
def demo(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    from portal import registry
    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    context: dict = {"password": PASSWORD}
    for seeder in registry.seeders():
        if seeder.name in ("portal", "grassroots"):
            context.update(seeder.seed(context) or {})
    return context


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def keep(screenshot, name: str) -> None:
    path = screenshot(name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def test_the_office_locks_a_period_and_the_ranking_shows(demo, live_server, page, screenshot):
    from grassroots.models import Period

    log_in(page, live_server, "dispatcher")
    assert page.locator("[data-testid=grassroots-home]").count() == 1
    page.goto(f"{live_server.url}/grassroots/periods/2024/")
    keep(screenshot, "grassroots-period-review-desktop")
    page.click("[data-testid=action-submit]")
    page.wait_for_selector("[data-testid=action-lock]")
    page.click("[data-testid=action-lock]")
    page.wait_for_selector("[data-testid=period-status]")
    assert Period.objects.get(key="2024").status == "locked"
    assert page.locator("[data-testid=period-actions]").count() == 0
    assert page.locator("[data-testid=period-status]").inner_text().strip() == "已锁定"
    keep(screenshot, "grassroots-period-locked-desktop")
    page.goto(f"{live_server.url}/grassroots/index/?period=2024&group_by=unit")
    rows = page.locator("[data-testid=rank-row]")
    assert rows.count() > 10
    assert page.locator("[data-testid=rank]").first.inner_text().strip() == "1"
    assert fits_the_screen(page)
    assert serious_axe_findings(page) == []
    keep(screenshot, "grassroots-ranking-desktop")
    page.goto(f"{live_server.url}/grassroots/index/?period=2024&group_by=county")
    assert page.locator("[data-testid=rank-row]").count() == 6
    keep(screenshot, "grassroots-ranking-county-desktop")
    # Drill down: a county → its units → a unit's scores → the duty records behind one.
    page.goto(
        live_server.url + page.locator("[data-testid=rank-row] a").first.get_attribute("href")
    )
    assert page.locator("[data-testid=rank-row]").count() >= 1
    page.goto(
        live_server.url + page.locator("[data-testid=rank-row] a").first.get_attribute("href")
    )
    page.wait_for_selector("[data-testid=score-lines]")
    keep(screenshot, "grassroots-unit-score-desktop")
    page.locator("[data-testid=behind-duty]").click()
    page.wait_for_selector("[data-testid=records]")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/grassroots/index/?period=2024")
    assert fits_the_screen(page)
    keep(screenshot, "grassroots-ranking-phone")
    page.goto(f"{live_server.url}/grassroots/")
    assert page.locator("[data-testid=unit-card]").count() > 10
    assert fits_the_screen(page)
    keep(screenshot, "grassroots-units-phone")


def test_the_unit_lead_on_a_phone(demo, live_server, page, screenshot):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "unitlead1")
    assert page.locator("[data-testid=grassroots-home]").count() == 1
    keep(screenshot, "grassroots-lead-home-phone")
    page.goto(f"{live_server.url}/grassroots/")
    assert page.locator("[data-testid=unit-card]").count() == 2
    page.locator("[data-testid=unit-card] a").first.click()
    page.wait_for_selector("[data-testid=duty-items]")
    assert fits_the_screen(page)
    assert serious_axe_findings(page) == []
    keep(screenshot, "grassroots-unit-phone")
    page.click("[data-testid=record-link]")
    assert page.locator("input[name=done_on]").get_attribute("type") == "date"
    page.select_option("select[name=item]", index=1)
    page.fill("input[name=done_on]", "2026-12-01")
    page.fill("textarea[name=what]", "召开统战工作例会")
    keep(screenshot, "grassroots-record-form-phone")
    page.click("[data-testid=record-form] button[type=submit]")
    page.wait_for_selector("[data-testid=duty-items]")
    assert "召开统战工作例会" in page.locator("[data-testid=records]").inner_text()
