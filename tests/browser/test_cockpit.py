"""The leader opens the cockpit from the home page, follows a number to its list and sees the
same count there; on a desktop and on a 390 px phone (no sideways scroll)."""

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.test_roles import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", password="tongxin-demo", stdout=io.StringIO())


def follow(page, key: str) -> tuple[int, int]:
    """The number of figure ``key`` and the count on the list it links to."""
    link = page.locator(f"a[data-testid=figure][data-key='{key}']")
    shown = int(re.sub(r"\D", "", link.inner_text()))
    link.click()
    page.wait_for_load_state("load")
    for mark in ("list-count", "result-count", "person-count"):
        found = page.locator(f"[data-testid={mark}]")
        if found.count():
            return shown, int(re.search(r"\d+", found.first.text_content()).group())
    raise AssertionError(f"no count on {page.url}")


@pytest.mark.parametrize("width", [1280, 390])
def test_leader_follows_a_number_to_its_list(page, live_server, demo, screenshot, width):
    page.set_viewport_size({"width": width, "height": 860})
    log_in(page, live_server, "leader")
    page.wait_for_selector("[data-testid=home-heading]")
    page.click("[data-testid=home-cockpit]")
    page.wait_for_selector("[data-testid=cockpit-section]")
    page.goto(f"{live_server.url}/cockpit/?period=2023")
    page.wait_for_selector("[data-testid=trend][data-rendered=true]")
    assert page.locator("[data-testid=cockpit-section]").count() == 4
    screenshot(f"cockpit-leader-{width}")
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > "
        + str(width)
        + ").slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + (e.dataset.testid || ''))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    for key, expected in (("sessions.held", 22), ("appeals.accepted", 359)):
        shown, listed = follow(page, key)
        assert shown == listed == expected, key
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(f"cockpit-list-{key}-{width}")
        page.go_back()
        page.wait_for_selector("[data-testid=cockpit-section]")
    # The office picks a county: 江山市's alliances, and the list behind them.
    page.select_option("[data-testid=cockpit-county]", "330881000000")
    page.click("[data-testid=cockpit-filter] button[type=submit]")
    page.wait_for_selector("text=江山市")
    shown, listed = follow(page, "alliances.alliances")
    assert shown == listed
