"""The non-party archive in headless Chromium: recognising a batch — candidates put in it, its
live profile, approval, the frozen profile beside the live one — on a desktop and on a phone
(390 × 844: nothing wider than the screen, lists as cards), with no serious or critical
axe-core finding. Screenshots go to the browser tests' artefacts folder."""

import datetime as dt
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
ON = dt.date(2025, 6, 18)


@pytest.fixture
def archive(transactional_db):
    """An office desk, four candidates (two with full-time master's degrees, one of them from
    复旦; one with a part-time master's) and a batch not yet approved."""
    from django.contrib.contenttypes.models import ContentType

    from nonparty import services
    from nonparty.models import Education, Person, University
    from nonparty.universities import load_universities
    from portal.models import Region
    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    load_universities()
    desk = Users(username="desk", name="王晓燕", role="dispatcher")
    place = Region.objects.get(code="330881000000")
    uni = {u.name: u for u in University.objects.all()}
    people = []
    for name, born, degrees in (
        ("叶青", dt.date(1995, 6, 18), [("master", True, "复旦大学")]),
        ("林帆", dt.date(1996, 1, 2), [("master", True, "衢州学院")]),
        (
            "周舟",
            dt.date(1993, 9, 9),
            [("bachelor", True, "衢州学院"), ("master", False, "衢州学院")],
        ),
        ("吴越", dt.date(1999, 12, 1), [("bachelor", True, "宁波大学")]),
    ):
        person = Person.objects.create(
            name=name, gender="female", birth_date=born, native_place=place, field="education"
        )
        for degree, full_time, at in degrees:
            Education.objects.create(
                person=person, degree=degree, full_time=full_time, university=uni[at]
            )
        people.append(person)
    batch = services.batch_create(
        actor=desk, name="2025年度认定（测试）", recognised_on=ON, approving_body="部务会"
    )
    return {"desk": desk, "people": people, "batch": batch}


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def shot(page, name: str) -> None:
    for folder in (ARTIFACTS, Path("/tmp/shots-nonparty")):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def serious_axe_findings(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:6])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def figure(page, card: str, name: str) -> str:
    return page.locator(f"[data-testid={card}] [data-figure={name}]").inner_text().strip()


def recognise(page, live_server, batch) -> None:
    page.goto(f"{live_server.url}/nonparty/batches/{batch.pk}/")
    for box in page.locator("[data-testid=batch-add-form] input[type=checkbox]").all():
        box.check()
    page.click("[data-testid=batch-add-form] button[type=submit]")
    page.wait_for_selector("[data-testid=person-card]")


def test_recognising_a_batch_and_seeing_its_profile(page, live_server, archive):
    batch = archive["batch"]
    log_in(page, live_server, "desk")
    recognise(page, live_server, batch)
    shot(page, "np-batch-01-people-added")
    # Live, from the rows: 2 of 4 with a full-time master's (周舟's is part-time), 2 of 4 from
    # 双一流 (复旦, and 宁波大学 for another discipline), ages 30, 29, 31, 25 on the date.
    assert figure(page, "profile-live", "masters_share").startswith("50.0%")
    assert figure(page, "profile-live", "double_first_class_share").startswith("50.0%")
    assert figure(page, "profile-live", "average_age") == "28.8"
    assert page.locator("[data-testid=person-card]").count() == 4
    page.click("[data-testid=batch-approve]")
    page.wait_for_selector("[data-testid=batch-frozen]")
    assert figure(page, "profile-frozen", "masters_share").startswith("50.0%")
    assert figure(page, "profile-frozen", "size") == "4"
    shot(page, "np-batch-02-approved")
    # A later edit of a degree changes the live figure only.
    from nonparty.models import Education

    Education.objects.filter(person__name="叶青", degree="master").update(full_time=False)
    page.reload()
    assert figure(page, "profile-frozen", "masters_share").startswith("50.0%")
    assert figure(page, "profile-live", "masters_share").startswith("25.0%")
    shot(page, "np-batch-03-frozen-and-live")
    assert serious_axe_findings(page) == []


def test_the_pages_on_a_phone_fit_the_screen_and_pass_axe(browser, live_server, archive):
    from nonparty import services

    batch = archive["batch"]
    services.batch_add_people(actor=archive["desk"], batch=batch, people=archive["people"])
    services.batch_approve(actor=archive["desk"], batch=batch)
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    findings = {}
    try:
        log_in(phone, live_server, "desk")
        pages = {
            "list": "/nonparty/",
            "person": f"/nonparty/{archive['people'][0].pk}/",
            "batch": f"/nonparty/batches/{batch.pk}/",
            "batches": "/nonparty/batches/",
            "coverage": "/nonparty/coverage/",
            "new": "/nonparty/new/",
        }
        for name, path in pages.items():
            phone.goto(f"{live_server.url}{path}")
            if name == "list":
                cards = phone.locator("[data-testid=person-card]")
                assert cards.count() == 4
                first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
                assert second["y"] >= first["y"] + first["height"]
            shot(phone, f"np-phone-{name}")
            assert fits_the_screen(phone), f"{path} is wider than the phone"
            findings[path] = serious_axe_findings(phone)
    finally:
        context.close()
    assert findings == {path: [] for path in findings}


def test_a_cadre_records_a_talk(page, live_server, archive):
    from django.utils import timezone

    from nonparty import services
    from nonparty.models import Liaison, Talk

    cadre = Users(username="cadre", name="傅联络", role="liaison")
    person = archive["people"][0]
    person.status = "recognised"
    person.save()
    Liaison.objects.create(cadre=cadre, person=person, starts_on=ON)
    year = timezone.localdate().year
    plan = services.talk_plan_set(
        actor=archive["desk"], year=year, cadre=cadre, person=person, times=2
    )
    log_in(page, live_server, "cadre")
    page.goto(f"{live_server.url}/nonparty/talks/")
    assert page.locator("[data-testid=talk-plan]").count() == 1
    shot(page, "np-talk-01-plan")
    page.click("[data-testid=record-talk]")
    page.select_option("select[name=form]", "face")
    page.fill("input[name=topics]", "参政议政选题")
    page.fill("textarea[name=follow_ups]", "推荐参加研修班")
    page.click("[data-testid=form-submit]")
    page.wait_for_selector("[data-testid=talk-completion]")
    assert "1／2" in page.locator("[data-testid=talks-held]").inner_text().replace(" ", "")
    shot(page, "np-talk-02-recorded")
    assert Talk.objects.get(plan=plan).recorded_by == cadre
    assert serious_axe_findings(page) == []
