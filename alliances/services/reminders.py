"""Reminders of the villages' figures: a village whose figures for a half year are not in
(submitted, checked or approved) by the deadline — ``ALLIANCE_REPORT_DEADLINE_WORKDAYS``
working days after the period's end — has its reporters reminded once; if they are still not
in ``ALLIANCE_REPORT_ESCALATION_WORKDAYS`` working days later, the staff of its county are told,
once. Each is claimed by a ``ReportReminder`` row (unique per village, period and stage) and
sent with a once-only notification key, so a second sweep or a retry sends nothing twice. The
sweep reads only the villages that have a reporter and are late: its cost grows with what is
due, not with the number of reports.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import ReportReminder, ReportStatus, VillageReport
from alliances.periods import Period
from alliances.services.reports import county_staff_of, reporters_of
from portal import workdays
from portal.models import Region, Role, RoleGrant
from portal.services.notifications import Message, notify_many

KIND_REMINDER = "alliances.report_reminder"
KIND_OVERDUE = "alliances.report_overdue"
IN = (ReportStatus.SUBMITTED, ReportStatus.CHECKED, ReportStatus.APPROVED)
# How many ended half years a sweep looks at: the last one (the one before was told already).
LOOK_BACK = 1


def deadline_of(period: Period) -> dt.date:
    return workdays.add_working_days(period.ends_on, settings.ALLIANCE_REPORT_DEADLINE_WORKDAYS)


def escalation_of(period: Period) -> dt.date:
    return workdays.add_working_days(
        deadline_of(period), settings.ALLIANCE_REPORT_ESCALATION_WORKDAYS
    )


def _ended_halves(today: dt.date) -> list[Period]:
    """The last ``LOOK_BACK`` half years that have ended by ``today``, newest first."""
    period = Period(today.year, 1) if today.month > 6 else Period(today.year - 1, 2)
    found = []
    for _i in range(LOOK_BACK):
        found.append(period)
        period = Period(period.year, 1) if period.half == 2 else Period(period.year - 1, 2)
    return found


def _late_villages(period: Period, stage: str) -> list[Region]:
    """Villages with a reporter whose figures for ``period`` are not in, not yet told ``stage``."""
    has_reporter = Exists(
        RoleGrant.objects.filter(
            role=Role.VILLAGE_REPORTER, region_id=OuterRef("pk"), user__is_active=True
        )
    )
    is_in = Exists(
        VillageReport.objects.filter(village_id=OuterRef("pk"), period=period.code, status__in=IN)
    )
    told = Exists(
        ReportReminder.objects.filter(village_id=OuterRef("pk"), period=period.code, stage=stage)
    )
    return list(
        Region.objects.filter(has_reporter, level=Region.Level.VILLAGE)
        .exclude(is_in)
        .exclude(told)
        .order_by("code")
    )


def _claim(villages: list[Region], period: Period, stage: str, now) -> None:
    ReportReminder.objects.bulk_create(
        [ReportReminder(village=v, period=period.code, stage=stage, sent_at=now) for v in villages],
        ignore_conflicts=True,
    )


def report_reminders_sweep(*, now: dt.datetime | None = None) -> int:
    """Send every reminder due at ``now``; returns how many messages were recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    url = reverse("alliances:report-list")
    for period in _ended_halves(today):
        deadline = deadline_of(period)
        if today <= deadline:
            continue
        values = {"period": period.code, "deadline": deadline.isoformat()}
        with transaction.atomic():
            late = _late_villages(period, ReportReminder.Stage.REPORTER)
            _claim(late, period, ReportReminder.Stage.REPORTER, now)
            people = reporters_of([v.pk for v in late])
            messages = [
                Message(
                    recipients=people[v.pk],
                    kind=KIND_REMINDER,
                    title=_(
                        "The figures of %(village)s for %(period)s were due on %(deadline)s; "
                        "please enter and submit them."
                    )
                    % {**values, "village": v.name},
                    url=url,
                    key=f"alliances.report_reminder:{v.pk}:{period.code}",
                )
                for v in late
                if people.get(v.pk)
            ]
            notify_many(messages)
            sent += len(messages)
        if today < escalation_of(period):
            continue
        with transaction.atomic():
            late = _late_villages(period, ReportReminder.Stage.COUNTY)
            _claim(late, period, ReportReminder.Stage.COUNTY, now)
            staff = county_staff_of(late)
            messages = [
                Message(
                    recipients=staff[v.pk],
                    kind=KIND_OVERDUE,
                    title=_(
                        "%(village)s has not submitted its figures for %(period)s "
                        "(due on %(deadline)s)."
                    )
                    % {**values, "village": v.name},
                    url=url,
                    key=f"alliances.report_overdue:{v.pk}:{period.code}",
                )
                for v in late
                if staff.get(v.pk)
            ]
            notify_many(messages)
            sent += len(messages)
    return sent
