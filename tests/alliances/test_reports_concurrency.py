"""Races of the villages' figures on PostgreSQL with real connections (threads, one connection
each): two edits from one revision, the office approving twice at once, a report entered twice
at once. Each service is slowed between its check and its write, so without the row lock (and
the unique constraints) both would succeed and one would be lost."""

import time
from unittest import mock

import pytest

from alliances.models import ReportStep, VillageReport
from alliances.services import ensure_indicators, report_create, report_transition, report_update
from alliances.services import reports as report_services
from portal.exceptions import Conflict
from tests.concurrency import race

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
VALUES = {"collective_income": "662000", "operating_income": "353000"}


def _slow(real):
    def slower(*args, **kwargs):
        time.sleep(0.2)
        return real(*args, **kwargs)

    return slower


@pytest.fixture
def draft(postgres, reporter, places):
    ensure_indicators()
    return report_create(
        actor=reporter, village=places["shuangdai"], period="2023H1", values=VALUES
    )


def test_two_edits_from_one_revision(draft, reporter):
    def edit(value):
        return lambda: report_update(
            report=draft,
            actor=reporter,
            values={"collective_income": value},
            revision=draft.revision,
        )

    with mock.patch.object(report_services, "audit_record", _slow(report_services.audit_record)):
        results = race(edit("1"), edit("2"))
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    report = VillageReport.objects.get()
    assert report.revision == 2
    assert str(report.values.get(indicator__code="collective_income").value) in ("1.00", "2.00")


def test_approving_twice_at_once(draft, reporter, county_longyou, office):
    report = report_transition(report=draft, actor=reporter, action="submit")
    report = report_transition(report=report, actor=county_longyou, action="check")

    def approve():
        return report_transition(report=report, actor=office, action="approve")

    with mock.patch.object(report_services, "audit_record", _slow(report_services.audit_record)):
        results = race(approve, approve)
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert ReportStep.objects.filter(action="approve").count() == 1


def test_the_same_report_entered_twice_at_once(postgres, reporter, places):
    ensure_indicators()

    def enter():
        return report_create(
            actor=reporter, village=places["shuangdai"], period="2023H1", values=VALUES
        )

    with mock.patch.object(report_services, "audit_record", _slow(report_services.audit_record)):
        results = race(enter, enter)
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert VillageReport.objects.count() == 1
