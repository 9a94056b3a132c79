"""The 知联会 president's report in headless Chromium: a member opens their one-time link on a
phone (390 px, no sign-in), scores once, and opening it again says it is used; the office closes
the review on a desktop and sees the results. Screenshots go to the artefacts folder."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.test_nonparty import PHONE, fits_the_screen, log_in, serious_axe_findings, shot
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def review(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    from nonparty.models import Person
    from nonparty.services import associations as writes
    from portal.models import Region
    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    desk = Users(username="desk", name="王晓燕", role="dispatcher")
    place = Region.objects.get(code="330881000000")
    people = [
        Person.objects.create(
            name=name,
            gender="female",
            birth_date=dt.date(1990, 1, 1),
            native_place=place,
            field="education",
            status="recognised",
        )
        for name in ("会长叶青", "会员林帆", "会员周舟")
    ]
    association = writes.association_create(
        actor=desk,
        name="衢州市知联会",
        region=Region.objects.get(code="330800000000"),
        president=people[0],
    )
    for person in people:
        writes.member_add(
            actor=desk, association=association, person=person, joined_on=dt.date(2020, 1, 1)
        )
    report = writes.report_create(
        actor=desk,
        association=association,
        year=2024,
        data={
            "text": "2024年组织会员开展专题调研。\n下一步加强联系青年会员。",
            "activities_held": 8,
        },
    )
    issued = writes.report_open(
        actor=desk, report=report, closes_on=timezone.localdate() + dt.timedelta(days=7)
    )
    tokens = {item.person.name: item.token for item in issued}
    writes.review_submit(
        token=tokens["会员周舟"],
        data={
            "verdict": "basically_satisfied",
            "duty": 4,
            "activities": 3,
            "contact": 3,
            "comment": "",
        },
    )
    return {"report": report, "token": tokens["会员林帆"]}


def test_a_member_scores_on_a_phone_and_the_office_closes(browser, page, live_server, review):
    phone_context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = phone_context.new_page()
    url = f"{live_server.url}/nonparty/review/{review['token']}/"
    phone.goto(url)
    assert fits_the_screen(phone)
    shot(phone, "nonparty-review-phone")
    assert serious_axe_findings(phone) == []
    phone.check("input[name=verdict][value=satisfied]")
    phone.check("input[name=duty][value='5']")
    phone.check("input[name=activities][value='4']")
    phone.check("input[name=contact][value='4']")
    phone.fill("textarea[name=comment]", "调研选题贴近实际。")
    phone.click("[data-testid=review-submit]")
    phone.wait_for_selector("[data-testid=review-thanks]")
    shot(phone, "nonparty-review-phone-thanks")
    phone.goto(url)
    message = phone.text_content("[data-testid=review-message]")
    assert "已" in message or "used" in message
    shot(phone, "nonparty-review-phone-used")
    phone_context.close()

    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/nonparty/reports/{review['report'].pk}/")
    assert "2" in page.text_content("[data-testid=review-progress] .card-header")
    page.fill("textarea[name=summary]", "会员总体满意，建议加强联系青年会员。")
    page.click("[data-testid=close-submit]")
    page.wait_for_selector("[data-testid=report-results]")
    assert "2／2" in page.text_content("[data-testid=response-rate]")
    comments = page.text_content("[data-testid=comments]")
    assert "调研选题贴近实际。" in comments and "林帆" not in comments
    shot(page, "nonparty-report-closed-desktop")
    assert serious_axe_findings(page) == []
