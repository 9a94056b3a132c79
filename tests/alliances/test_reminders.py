"""Reminders of late village figures: the reporter once after the deadline, the county's staff
once a few working days later; nothing for figures that are in; nothing twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from alliances.models import ReportReminder
from alliances.periods import Period
from alliances.services import ensure_indicators, report_create, report_transition
from alliances.services.reminders import deadline_of, escalation_of, report_reminders_sweep
from alliances.tasks import send_report_reminders
from portal.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
H1 = Period.parse("2025H1")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


def test_deadlines_in_working_days(settings):
    settings.ALLIANCE_REPORT_DEADLINE_WORKDAYS = 10
    settings.ALLIANCE_REPORT_ESCALATION_WORKDAYS = 3
    assert deadline_of(H1) == dt.date(2025, 7, 14)  # 30 June was a Monday
    assert escalation_of(H1) == dt.date(2025, 7, 17)


def test_reporter_once_then_county_once(
    settings, reporter, other_reporter, county_longyou, county_jiangshan, places
):
    settings.ALLIANCE_REPORT_DEADLINE_WORKDAYS = 10
    settings.ALLIANCE_REPORT_ESCALATION_WORKDAYS = 3
    # 峡口村's figures are in (submitted); 双戴村's are a draft only.
    report = report_create(
        actor=other_reporter,
        village=places["js_a"],
        period="2025H1",
        values={"collective_income": "1", "operating_income": "1"},
    )
    report_transition(report=report, actor=other_reporter, action="submit")
    report_create(actor=reporter, village=places["shuangdai"], period="2025H1")

    assert report_reminders_sweep(now=at(dt.date(2025, 7, 14))) == 0  # on the deadline: not yet
    assert report_reminders_sweep(now=at(dt.date(2025, 7, 15))) == 1
    assert report_reminders_sweep(now=at(dt.date(2025, 7, 16))) == 0  # once
    mine = Notification.objects.filter(recipient=reporter)
    assert mine.count() == 1 and "2025H1" in mine.get().title
    assert not Notification.objects.filter(recipient=other_reporter, kind__endswith="reminder")
    assert not Notification.objects.filter(recipient=county_longyou).exists()

    assert report_reminders_sweep(now=at(dt.date(2025, 7, 17))) == 1
    assert report_reminders_sweep(now=at(dt.date(2025, 7, 18))) == 0
    told = Notification.objects.filter(recipient=county_longyou)
    assert told.count() == 1 and "双戴村" in told.get().title
    assert not Notification.objects.filter(recipient=county_jiangshan).exists()
    assert set(ReportReminder.objects.values_list("stage", flat=True)) == {"reporter", "county"}


def test_figures_submitted_in_time_are_never_reminded(settings, reporter, places, county_longyou):
    settings.ALLIANCE_REPORT_DEADLINE_WORKDAYS = 10
    report = report_create(
        actor=reporter,
        village=places["shuangdai"],
        period="2025H1",
        values={"collective_income": "1", "operating_income": "1"},
    )
    report_transition(report=report, actor=reporter, action="submit")
    assert report_reminders_sweep(now=at(dt.date(2025, 8, 1))) == 0
    assert not Notification.objects.exists()


def test_the_task_runs_the_sweep(reporter, places):
    assert send_report_reminders.apply().get() >= 0
