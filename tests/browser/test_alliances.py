"""The alliances' coverage in headless Chromium: the demo's figures and region tree on a desktop
and on a phone (390 × 844), nothing wider than the screen, no serious or critical axe-core
finding; the list as cards on the phone. Screenshots go to the browser tests' artefacts folder
(and /tmp/shots-alliances/)."""

import shutil
from pathlib import Path

import pytest

from tests.browser.test_xiangxian import PHONE, fits_the_screen, serious_axe_findings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots-alliances")
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
        if seeder.name in ("portal", "alliances"):
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


def figure(page, key: str) -> str:
    return page.locator(f"[data-testid=coverage-figures] [data-key={key}]").inner_text().strip()


def test_the_coverage_tree_on_desktop_and_phone(demo, live_server, page, screenshot):
    log_in(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/alliances/coverage/?on=2023-06-30")
    assert page.locator("h1").inner_text().strip().endswith("联盟覆盖情况")
    assert figure(page, "alliances") == "12"
    assert figure(page, "ethnic_townships") == "1 / 1"
    assert figure(page, "ethnic_villages") == "49 / 49"
    assert [
        figure(page, k) for k in ("provinces", "cities", "counties", "townships", "villages")
    ] == [
        "2",
        "2",
        "7",
        "24",
        "116",
    ]
    tree = page.locator("[data-testid=region-tree]")
    assert tree.locator("[data-level='1']").count() == 2  # 浙江省, 江西省
    township = tree.locator("[data-level='4'][data-ethnic='1']")
    assert township.count() == 1 and "沐尘畲族乡" in township.inner_text()
    # open a township and see its villages marked
    township.locator("summary").first.click()
    assert township.locator("[data-level='5'][data-covered='1'][data-ethnic='1']").count() == 10
    counties = page.locator("[data-testid=county-figures] table tbody tr")
    assert counties.count() == 7
    assert fits_the_screen(page)
    assert serious_axe_findings(page) == []
    keep(screenshot, "al-coverage-01-desktop")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/alliances/coverage/?on=2023-06-30")
    assert fits_the_screen(page)
    assert page.locator("[data-testid=county-cards] li").count() == 7
    assert serious_axe_findings(page) == []
    keep(screenshot, "al-coverage-02-phone")

    page.goto(f"{live_server.url}/alliances/")
    assert fits_the_screen(page)
    assert page.locator("[data-testid=alliance-card]").count() == 12
    assert not page.locator("[data-testid=alliance-table]").is_visible()
    assert serious_axe_findings(page) == []
    keep(screenshot, "al-list-03-phone")

    page.goto(f"{live_server.url}/alliances/coverage/?on=2023-02-30")
    assert "YYYY-MM-DD" in page.locator("[data-testid=day-error]").inner_text()


def test_a_village_reporter_sees_their_alliances(demo, live_server, page, screenshot):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "village1")
    page.goto(f"{live_server.url}/alliances/")
    cards = page.locator("[data-testid=alliance-card]")
    assert cards.count() == 2
    cards.filter(has_text="石榴红创客联盟").locator("a").first.click()
    page.wait_for_selector("[data-testid=maker-teams]")
    assert "11" in page.locator("[data-testid=maker-totals]").inner_text()
    assert page.locator("[data-testid=member-add]").count() == 0  # read only
    assert fits_the_screen(page)
    assert serious_axe_findings(page) == []
    keep(screenshot, "al-detail-04-reporter-phone")
