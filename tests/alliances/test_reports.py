"""The villages' figures: entering, the workflow by role with every illegal step, locking,
corrections as new versions, concurrency and scoping (owner, colleague, outsider)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances.models import ReportStatus, ReportStep, VillageReport
from alliances.services import (
    REPORT_LIFECYCLE,
    ensure_indicators,
    report_correct,
    report_create,
    report_transition,
    report_update,
)
from portal.exceptions import Conflict
from portal.models import AuditLog
from tests.factories import UserFactory

VALUES = {"collective_income": "662000", "operating_income": "353000.50"}


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


@pytest.fixture
def leader(db):
    return UserFactory(role="leader")


@pytest.fixture
def admin(db):
    return UserFactory(role="admin")


@pytest.fixture
def draft(reporter, places):
    return report_create(
        actor=reporter, village=places["shuangdai"], period="2023H1", values=VALUES
    )


def walk(report, *steps):
    for actor, action in steps:
        report = report_transition(report=report, actor=actor, action=action, reason="原因")
    return report


def test_create_stores_values_in_yuan_and_a_step(draft):
    assert draft.status == ReportStatus.DRAFT
    values = {v.indicator.code: v.value for v in draft.values.all()}
    assert values == {
        "collective_income": Decimal("662000"),
        "operating_income": Decimal("353000.50"),
    }
    assert [s.action for s in draft.steps.all()] == ["create"]
    assert (
        AuditLog.objects.filter(action="create", target_type="alliances.villagereport").count() == 1
    )


def test_only_the_villages_reporter_enters(places, other_reporter, county_longyou, office):
    for actor in (other_reporter, county_longyou, office):
        with pytest.raises(PermissionDenied):
            report_create(actor=actor, village=places["shuangdai"], period="2023H1", values=VALUES)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("period", {"period": "2023H3"}),
        ("period", {"period": "2999H1"}),
        ("collective_income", {"values": {"collective_income": "abc"}}),
        ("collective_income", {"values": {"collective_income": "-1"}}),
        ("collective_income", {"values": {"collective_income": "1.234"}}),
        ("values", {"values": {"nonsense": "1"}}),
    ],
)
def test_bad_input_is_a_message_per_field(reporter, places, field, kwargs):
    data = {"period": "2023H1", "values": VALUES} | kwargs
    with pytest.raises(ValidationError) as error:
        report_create(actor=reporter, village=places["shuangdai"], **data)
    assert field in error.value.message_dict


def test_a_second_report_for_the_same_period_is_a_conflict(draft, reporter, places):
    with pytest.raises(Conflict):
        report_create(actor=reporter, village=places["shuangdai"], period="2023h1", values=VALUES)


def test_the_whole_way_with_a_return_and_a_resubmission(draft, reporter, county_longyou, office):
    report = walk(draft, (reporter, "submit"), (county_longyou, "check"))
    report = report_transition(report=report, actor=office, action="return", reason="数字有误")
    assert report.status == ReportStatus.RETURNED and report.return_reason == "数字有误"
    report = report_update(
        report=report,
        actor=reporter,
        values={"collective_income": "662500"},
        revision=report.revision,
    )
    report = walk(report, (reporter, "submit"), (county_longyou, "check"), (office, "approve"))
    assert report.status == ReportStatus.APPROVED and report.is_effective
    steps = list(report.steps.values_list("action", "from_status", "to_status", "note"))
    assert steps[0][0] == "create"
    assert ("return", "checked", "returned", "数字有误") in steps
    assert steps[-1][:3] == ("approve", "checked", "approved")


def test_return_needs_a_reason(draft, reporter, county_longyou):
    report = walk(draft, (reporter, "submit"))
    with pytest.raises(ValidationError):
        report_transition(report=report, actor=county_longyou, action="return", reason=" ")


def test_submit_needs_every_active_indicator(reporter, places):
    report = report_create(
        actor=reporter,
        village=places["shuangdai"],
        period="2023H1",
        values={"collective_income": 1},
    )
    with pytest.raises(ValidationError) as error:
        report_transition(report=report, actor=reporter, action="submit")
    assert "operating_income" in error.value.message_dict


# Every step that does not fit the status is 409, for the role that may take it elsewhere.
STATES = {
    "draft": [],
    "submitted": ["submit"],
    "checked": ["submit", "check"],
    "approved": ["submit", "check", "approve"],
    "returned": ["submit", "return"],
}
ALLOWED = {
    "draft": {"submit"},
    "submitted": {"check", "return"},
    "checked": {"approve", "return"},
    "approved": set(),
    "returned": {"submit"},
}


@pytest.mark.parametrize("state", list(STATES))
def test_every_illegal_step_is_a_conflict(state, draft, reporter, county_longyou, office):
    by = {"submit": reporter, "check": county_longyou, "approve": office, "return": office}
    report = walk(draft, *[(by[a], a) for a in STATES[state]])
    assert report.status == state
    for action in {"submit", "check", "approve", "return"} - ALLOWED[state]:
        with pytest.raises(Conflict):
            report_transition(report=report, actor=by[action], action=action, reason="x")
    # The county's staff may return too.
    if "return" in ALLOWED[state]:
        assert "return" in REPORT_LIFECYCLE.available(report, county_longyou)


@pytest.mark.parametrize("who", ["leader", "other_reporter", "county_jiangshan", "admin"])
def test_wrong_people_are_refused_each_step(who, request, draft, reporter, county_longyou, office):
    actor = request.getfixturevalue(who)
    report = draft
    for action, right in (("submit", reporter), ("check", county_longyou), ("approve", office)):
        if not (who == "admin" and action == "approve"):  # the office approves
            with pytest.raises(PermissionDenied):
                report_transition(report=report, actor=actor, action=action, reason="x")
        report = report_transition(report=report, actor=right, action=action)
    assert report.status == "approved"


def test_an_approved_report_is_locked_and_corrected_as_a_new_version(
    draft, reporter, county_longyou, office
):
    approved = walk(draft, (reporter, "submit"), (county_longyou, "check"), (office, "approve"))
    with pytest.raises(Conflict):
        report_update(report=approved, actor=reporter, values={"collective_income": "1"})
    with pytest.raises(ValidationError):
        report_correct(report=approved, actor=reporter, reason="")
    correction = report_correct(report=approved, actor=reporter, reason="漏报一笔租金")
    assert (correction.version, correction.status, correction.supersedes_id) == (
        2,
        "draft",
        approved.pk,
    )
    with pytest.raises(Conflict):  # one correction at a time
        report_correct(report=approved, actor=office, reason="again")
    report_update(report=correction, actor=reporter, values={"collective_income": "700000"})
    correction = walk(correction, (reporter, "submit"), (county_longyou, "check"))
    approved.refresh_from_db()
    assert approved.is_effective  # in force until the correction is approved
    correction = walk(correction, (office, "approve"))
    approved.refresh_from_db()
    assert correction.is_effective and not approved.is_effective
    assert approved.status == "approved"
    old = {v.indicator.code: v.value for v in approved.values.all()}
    assert old["collective_income"] == Decimal("662000")  # the old version kept as it was
    with pytest.raises(Conflict):  # the superseded version is not corrected again
        report_correct(report=approved, actor=reporter, reason="x")
    assert ReportStep.objects.filter(
        report=correction, action="correct", note="漏报一笔租金"
    ).exists()


def test_an_edit_based_on_an_old_revision_is_refused(draft, reporter):
    seen = draft.revision
    report_update(report=draft, actor=reporter, values={"collective_income": "1"}, revision=seen)
    with pytest.raises(Conflict):
        report_update(
            report=draft, actor=reporter, values={"collective_income": "2"}, revision=seen
        )
    draft.refresh_from_db()
    assert draft.values.get(indicator__code="collective_income").value == Decimal("1")


def test_a_submitted_report_cannot_be_edited(draft, reporter):
    walk(draft, (reporter, "submit"))
    with pytest.raises(Conflict):
        report_update(report=draft, actor=reporter, values={"collective_income": "1"})


def test_scoping_owner_colleague_outsider(
    draft, reporter, other_reporter, county_longyou, county_jiangshan, office, leader
):
    colleague = UserFactory(role="village_reporter")
    from portal.services.grants import role_grant

    role_grant(user=colleague, role="village_reporter", region=draft.village, actor=None)
    entrepreneur = UserFactory(role="entrepreneur")
    visible = {
        u: VillageReport.objects.visible_to(u).filter(pk=draft.pk).exists()
        for u in (reporter, colleague, county_longyou, office, leader)
    }
    assert all(visible.values())
    for outsider in (other_reporter, county_jiangshan, entrepreneur):
        assert not VillageReport.objects.visible_to(outsider).exists()
