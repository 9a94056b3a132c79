"""The comprehensive evaluation in headless Chromium: a liaison cadre scores a person (weights
beside the inputs, evidence picked from the growth record) and submits; the office reviews it
and the grade appears — on a desktop and on a 390 px phone (nothing wider than the screen, the
list as cards), with no serious or critical axe-core finding. Screenshots go to the browser
tests' artefacts folder (and /tmp/shots-nonparty-evaluation)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_nonparty import fits_the_screen, log_in, serious_axe_findings
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
YEAR = 2023


def shot(page, name: str) -> None:
    for folder in (ARTIFACTS, Path("/tmp/shots-nonparty-evaluation")):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def desk(transactional_db):
    """The office (``desk``), a liaison cadre (``cadre``) with two recognised people, one with a
    growth record, and the 2023 scheme."""
    from django.contrib.contenttypes.models import ContentType

    from nonparty import services
    from nonparty.models import Liaison, Person, Proposal, Training
    from portal.models import Region
    from portal.regions import ensure_built_in_regions

    ContentType.objects.clear_cache()
    ensure_built_in_regions()
    office = Users(username="desk", name="王晓燕", role="dispatcher")
    cadre = Users(username="cadre", name="傅联络", role="liaison")
    place = Region.objects.get(code="330881000000")
    people = []
    for name in ("叶青", "林帆"):
        person = Person.objects.create(
            name=name,
            gender="female",
            birth_date=dt.date(1994, 3, 8),
            native_place=place,
            field="education",
            status="recognised",
        )
        Liaison.objects.create(cadre=cadre, person=person, starts_on=dt.date(2023, 1, 1))
        people.append(person)
    Training.objects.create(
        person=people[0], dated_on=dt.date(2023, 4, 10), course="无党派人士研修班", days=5
    )
    Proposal.objects.create(
        person=people[0],
        dated_on=dt.date(2023, 3, 1),
        title="关于加快衢州数字经济发展的建议",
        year=2023,
        channel="proposal",
        adopted=True,
    )
    services.scheme_save(
        actor=office,
        year=YEAR,
        dimensions=[("政治表现", 30), ("履职建言", 25), ("岗位贡献", 25), ("社会影响", 20)],
        grades=[
            ("优秀", Decimal(90)),
            ("良好", Decimal(75)),
            ("合格", Decimal(60)),
            ("不合格", Decimal(0)),
        ],
    )
    return {"office": office, "cadre": cadre, "people": people}


def score_and_submit(page, live_server) -> None:
    page.goto(f"{live_server.url}/nonparty/evaluations/?year={YEAR}")
    page.locator("[data-testid=to-score] li", has_text="叶青").locator(
        "[data-testid=score-link]"
    ).click()
    page.wait_for_selector("[data-testid=score-form]")
    rows = page.locator("[data-testid=dimension-row]")
    assert rows.count() == 4
    for i, value in enumerate(("92", "88", "85.5", "90")):
        row = rows.nth(i)
        assert row.locator("[data-testid=score-input]").get_attribute("inputmode") == "decimal"
        row.locator("[data-testid=score-input]").fill(value)
        row.locator("textarea").fill("按要求完成，表现良好")
    first = rows.nth(0)
    first.locator("[data-testid=evidence-picker] summary").click()
    first.locator("label", has_text="无党派人士研修班").click()
    rows.nth(1).locator("[data-testid=evidence-picker] summary").click()
    rows.nth(1).locator("label", has_text="数字经济").click()


def test_a_cadre_scores_and_the_office_reviews(page, live_server, desk):
    from nonparty.models import Evaluation

    log_in(page, live_server, "cadre")
    score_and_submit(page, live_server)
    # A bad number first: a clear message, nothing saved.
    page.locator("[data-testid=dimension-row]").nth(3).locator("[data-testid=score-input]").fill(
        "abc"
    )
    shot(page, "np-eval-01-scoring")
    page.click("[data-testid=save-submit]")
    page.wait_for_selector(".invalid-feedback")
    assert not Evaluation.objects.exists()
    shot(page, "np-eval-02-bad-number")
    page.locator("[data-testid=dimension-row]").nth(3).locator("[data-testid=score-input]").fill(
        "90"
    )
    page.click("[data-testid=save-submit]")
    page.wait_for_selector("[data-testid=evaluation-result]")
    assert page.locator("[data-figure=score]").inner_text().strip() == "89.0"  # provisional
    assert "无党派人士研修班" in page.locator("[data-testid=evaluation-scores]").inner_text()
    shot(page, "np-eval-03-submitted")
    assert serious_axe_findings(page) == []
    evaluation = Evaluation.objects.get()
    assert evaluation.state == "submitted"

    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/nonparty/evaluations/{evaluation.pk}/")
    page.wait_for_selector("[data-testid=review-form]")
    shot(page, "np-eval-04-to-review")
    # Adjusting without a reason is refused with a message.
    page.locator("[data-testid=review-form] input[name^=adjusted_]").first.fill("100")
    page.click("[data-testid=review-submit]")
    page.wait_for_selector("[data-testid=review-error]")
    shot(page, "np-eval-05-reason-needed")
    page.fill("[data-testid=review-form] textarea[name=reason]", "获市级表彰，政治表现上调")
    page.click("[data-testid=review-submit]")
    page.wait_for_selector("[data-testid=review-note]")
    # 100×30% + 88×25% + 85.5×25% + 90×20% = 91.375 → 91.4
    assert page.locator("[data-figure=score]").inner_text().strip() == "91.4"
    assert page.locator("[data-figure=grade]").inner_text().strip() == "优秀"
    shot(page, "np-eval-06-reviewed")
    assert serious_axe_findings(page) == []
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.score, evaluation.grade) == (
        "reviewed",
        Decimal("91.4"),
        "优秀",
    )
    page.goto(f"{live_server.url}/nonparty/evaluations/?year={YEAR}&grade=优秀")
    assert page.locator("[data-testid=evaluation-card]").count() == 1
    shot(page, "np-eval-07-list")
    page.goto(f"{live_server.url}/nonparty/{desk['people'][0].pk}/")
    assert "优秀" in page.locator("[data-testid=person-evaluations]").inner_text()


def test_on_a_phone(browser, live_server, desk):
    from nonparty import services
    from nonparty.models import EvaluationScheme

    scheme = EvaluationScheme.objects.get()
    for person in desk["people"]:
        services.evaluation_save(
            actor=desk["cadre"],
            person=person,
            year=YEAR,
            rows={d.pk: {"score": "80", "comment": "良好"} for d in scheme.dimensions.all()},
            submit=True,
        )
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, bypass_csp=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    findings = {}
    try:
        log_in(phone, live_server, "desk")
        phone.goto(f"{live_server.url}/nonparty/evaluations/?year={YEAR}")
        cards = phone.locator("[data-testid=evaluation-card]")
        assert cards.count() == 2
        first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"]
        shot(phone, "np-eval-phone-list")
        assert fits_the_screen(phone)
        findings["list"] = serious_axe_findings(phone)
        cards.nth(0).locator("a").first.click()
        phone.wait_for_selector("[data-testid=review-form]")
        shot(phone, "np-eval-phone-review")
        assert fits_the_screen(phone)
        findings["detail"] = serious_axe_findings(phone)
        phone.click("[data-testid=review-submit]")
        phone.wait_for_selector("[data-testid=evaluation-result]")
        assert phone.locator("[data-figure=grade]").inner_text().strip() == "良好"
        phone.goto(f"{live_server.url}/nonparty/evaluations/scheme/?year={YEAR}")
        phone.wait_for_selector("[data-testid=scheme-form]")
        assert phone.locator("[data-testid=scheme-dimension-row]").count() == 8
        shot(phone, "np-eval-phone-scheme")
        assert fits_the_screen(phone)
        findings["scheme"] = serious_axe_findings(phone)
        log_in(phone, live_server, "cadre")
        services.evaluation_transition(
            evaluation=desk["people"][1].evaluations.get(),
            actor=desk["office"],
            action="return",
            reason="佐证材料不足",
        )
        phone.goto(f"{live_server.url}/nonparty/{desk['people'][1].pk}/evaluation/{YEAR}/")
        phone.wait_for_selector("[data-testid=score-form]")
        assert "佐证材料不足" in phone.locator("[data-testid=return-reason]").inner_text()
        phone.locator("[data-testid=evidence-picker] summary").first.click()
        shot(phone, "np-eval-phone-scoring")
        assert fits_the_screen(phone)
        findings["score"] = serious_axe_findings(phone)
    finally:
        context.close()
    assert findings == {name: [] for name in findings}
