"""The villages' figures in headless Chromium: a village reporter enters and submits figures,
the county checks them, the office sends them back with a reason, the reporter corrects and
resubmits, and they are approved; the figures page draws its charts; the pages on a phone
(390 × 844) fit the screen and have no serious or critical axe-core finding. Screenshots go to
/tmp/shots-reports/ (and the browser tests' artefacts folder)."""

import datetime as dt
from pathlib import Path

import pytest

from tests.browser.test_xiangxian import fits_the_screen, log_in, serious_axe_findings
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots-reports")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def people(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    from alliances.models import Alliance, Membership
    from alliances.services import ensure_indicators
    from portal.regions import ensure_built_in_regions
    from portal.services.grants import role_grant
    from tests.alliances.conftest import region

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    ensure_indicators()
    region("330825206000", "沐尘畲族乡", ethnic=True)
    village = region("330825206201", "双戴村", ethnic=True)
    alliance = Alliance.objects.create(
        name="畲乡生姜联盟", founded_on=dt.date(2021, 3, 1), lead_village=village
    )
    Membership.objects.create(alliance=alliance, region=village, joined_on=dt.date(2021, 3, 1))
    reporter = Users(username="lan", name="蓝秀英", role="village_reporter")
    role_grant(user=reporter, role="village_reporter", region=village, actor=None)
    county = Users(username="ly", name="雷县干", role="county_staff")
    role_grant(
        user=county,
        role="county_staff",
        region=region("330825000000", "龙游县"),
        actor=None,
    )
    office = Users(username="desk", name="王晓燕", role="dispatcher")
    return {"reporter": reporter, "county": county, "office": office}


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def status(page) -> str:
    return page.locator("h1 + span [data-testid=report-status]").get_attribute("data-status")


def test_submit_return_correct_approve(page, live_server, people):
    from alliances.models import VillageReport

    log_in(page, live_server, "lan")
    page.goto(f"{live_server.url}/alliances/reports/")
    page.click("[data-testid=report-new]")
    page.select_option("select[name=period]", "2023H1")
    page.fill("input[name=collective_income]", "六十六万")
    page.click("[data-testid=report-save]")
    assert page.locator("[data-testid=field-error]").count() == 1
    shot(page, "01-form-error")
    page.fill("input[name=collective_income]", "662000")
    page.fill("input[name=operating_income]", "353000")
    page.click("[data-testid=report-save]")
    page.wait_for_selector("[data-testid=report-values]")
    page.click("[data-testid=report-submit]")
    page.wait_for_selector(".alert-success")
    assert status(page) == "submitted"
    shot(page, "02-submitted")
    url = page.url

    log_in(page, live_server, "ly")
    page.goto(url)
    page.click("[data-testid=report-check]")
    page.wait_for_selector(".alert-success")
    assert status(page) == "checked"

    log_in(page, live_server, "desk")
    page.goto(url)
    page.fill("#return-reason", "经营性收入请附台账明细")
    page.click("[data-testid=report-return] button")
    page.wait_for_selector(".alert-success")
    assert status(page) == "returned"
    shot(page, "03-returned-by-office")

    log_in(page, live_server, "lan")
    page.goto(url)
    assert "经营性收入请附台账明细" in page.inner_text("[data-testid=return-reason]")
    page.click("[data-testid=report-edit]")
    page.fill("input[name=operating_income]", "353500")
    page.click("[data-testid=report-save]")
    page.wait_for_selector("[data-testid=report-values]")
    page.click("[data-testid=report-submit]")
    page.wait_for_selector(".alert-success")

    log_in(page, live_server, "ly")
    page.goto(url)
    page.click("[data-testid=report-check]")
    log_in(page, live_server, "desk")
    page.goto(url)
    page.click("[data-testid=report-approve]")
    page.wait_for_selector(".alert-success")
    assert status(page) == "approved"
    assert page.locator("[data-testid=report-step]").count() == 8
    shot(page, "04-approved-history")
    report = VillageReport.objects.get()
    assert (
        report.is_effective
        and report.values.get(indicator__code="operating_income").value == 353500
    )

    page.goto(f"{live_server.url}/alliances/figures/?period=2023H1&group_by=alliance")
    page.wait_for_selector("[data-testid=chart-collective_income][data-rendered=true]")
    assert "66.2 万元" in page.inner_text("[data-testid=figures-total]")
    shot(page, "05-figures-desktop")
    assert serious_axe_findings(page) == []

    page.set_viewport_size(PHONE)
    for name, path in (
        ("06-phone-figures", "/alliances/figures/?period=2023H1"),
        ("07-phone-detail", url.replace(live_server.url, "")),
        ("08-phone-list", "/alliances/reports/"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert fits_the_screen(page), name
        assert serious_axe_findings(page) == [], name
        shot(page, name)
    log_in(page, live_server, "lan")
    page.goto(url)
    assert fits_the_screen(page)
    assert serious_axe_findings(page) == []
    shot(page, "09-phone-reporter-approved")
