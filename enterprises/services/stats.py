"""Keeping the figures' roll-up (``enterprises.models.stats``) in step with the appeals.

Every appeal step marks the appeal's day of acceptance (``mark_appeal``, called from the one
place every step goes through); ``refresh`` rebuilds the marked days every minute (Celery beat)
and ``rebuild`` every day, nightly or from ``manage.py rebuild_stats``. A rebuild replaces the
day rows of its days from the appeals with the very aggregates the live figures use, then the
month rows of their months from the day rows, then records the days as built and deletes the
marks it read before it started: a step that commits meanwhile leaves its own mark, so its day
stays live until the next run. Rebuilds take one lock in turn, so two never interleave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F, Min, Q, Value
from django.db.models.fields import IntegerField
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from enterprises.models import (
    Appeal,
    AppealStatsDay,
    AppealStatsMark,
    AppealStatsRollup,
    Assignment,
    Status,
)
from enterprises.models.stats import COUNT_COLUMNS
from enterprises.selectors.stats import WorkingDaysBetween, counted_q, county_key, period_q
from enterprises.selectors.stats.sources import (
    appeal_columns,
    assignment_columns,
    routed_appeal_columns,
)
from portal.figures import DayRollup, Rebuilt, runs
from portal.workdays import working_days_between

DIMENSIONS = ("day", "department", "category", "county", "source", "session")


# --- handling time and marks (called by the appeal services) ----------------------------------


def handling_days(appeal: Appeal) -> int | None:
    """Working days from the day of acceptance to the day of closure (Asia/Shanghai), less the
    days the clock stood still: the figures' handling time. ``None`` if it never closed."""
    if appeal.accepted_at is None or appeal.closed_at is None:
        return None
    days = working_days_between(
        timezone.localdate(appeal.accepted_at), timezone.localdate(appeal.closed_at)
    )
    return max(0, days - appeal.stopped_days)


def mark_appeal(appeal: Appeal) -> None:
    """The appeal changed: its day's roll-up rows are out of date until the next refresh."""
    if appeal.accepted_at is not None:
        AppealStatsMark.objects.create(day=timezone.localdate(appeal.accepted_at))


def mark_days(days: Iterable[dt.date]) -> None:
    """Mark days whose appeals changed outside the appeal services (bulk loads, imports)."""
    ROLLUP.mark_days(days)


def mark_enterprises(enterprise_ids: Iterable[int]) -> None:
    """An enterprise moved (its county): mark the days of acceptance of its appeals."""
    appeals = Appeal.objects.filter(
        enterprise_id__in=list(enterprise_ids), accepted_at__isnull=False
    )
    mark_days(_days_of(appeals))


def _days_of(appeals) -> list[dt.date]:
    """The distinct days of acceptance of ``appeals`` (Asia/Shanghai)."""
    return list(
        appeals.order_by()
        .annotate(day=TruncDate("accepted_at"))
        .values_list("day", flat=True)
        .distinct()
    )


# --- rebuilding -------------------------------------------------------------------------------


def _table() -> str:
    return connection.ops.quote_name(AppealStatsRollup._meta.db_table)


def _columns() -> tuple[str, ...]:
    """The roll-up's columns in insertion order: dimensions, then counts."""
    fields = {f.name: f.column for f in AppealStatsRollup._meta.concrete_fields}
    return tuple(fields[name] for name in (*DIMENSIONS, "whole_month", *COUNT_COLUMNS))


def _accepted_on(runs: list[tuple[dt.date, dt.date]], prefix: str = "") -> Q:
    within = Q()
    for first, last in runs:
        within |= period_q(first, last, prefix)
    return within


def _day_rows_sql(runs: list[tuple[dt.date, dt.date]]) -> tuple[str, list]:
    """INSERT … SELECT of the day rows of the appeals accepted on the days of ``runs``: appeal
    counts at the lead department and routing counts at the department routed to, summed per
    dimension."""
    zero = Value(0, output_field=IntegerField())

    def keys(prefix: str = "", department: str = "lead_department_id") -> dict:
        return {
            "k_day": TruncDate(f"{prefix}accepted_at"),
            "k_department": F(department),
            "k_category": F(f"{prefix}category_id"),
            "k_county": county_key(prefix),
            "k_source": F(f"{prefix}source"),
            "k_session": F(f"{prefix}session_id"),
        }

    appeals = Appeal.objects.filter(counted_q() & _accepted_on(runs))
    routings = Assignment.objects.filter(counted_q("appeal__") & _accepted_on(runs, "appeal__"))
    sides = [
        # appeals, at their lead department
        (appeals, keys(), appeal_columns()),
        # routings, at the department routed to
        (routings, keys("appeal__", "department_id"), assignment_columns()),
        # the appeals behind the routings, at the appeal's lead department
        (routings, keys("appeal__", "appeal__lead_department_id"), routed_appeal_columns()),
    ]
    queries = [
        rows.order_by()
        .values(**key)
        .annotate(**{name: columns.get(name, zero) for name in COUNT_COLUMNS})
        for rows, key, columns in sides
    ]
    expected = [*keys(), *COUNT_COLUMNS]
    for query in queries:  # UNION ALL pairs the columns by position
        assert list(query.query.annotation_select) == expected, list(query.query.annotation_select)
    union_sql, params = queries[0].union(*queries[1:], all=True).query.sql_with_params()
    qn = connection.ops.quote_name
    key_names = [qn(name) for name in keys()]
    sums = ", ".join(f"SUM({qn(name)})" for name in COUNT_COLUMNS)
    sql = (
        f"INSERT INTO {_table()} ({', '.join(qn(c) for c in _columns())}) "
        f"SELECT {', '.join(key_names)}, %s, {sums} FROM ({union_sql}) u "
        f"GROUP BY {', '.join(key_names)}"
    )
    # The whole_month flag's placeholder comes before the union's own parameters.
    return sql, [False, *params]


def _month_rows_sql(first: dt.date) -> tuple[str, list]:
    """INSERT … SELECT of the month rows of the month starting ``first``, from its day rows."""
    qn = connection.ops.quote_name
    fields = {f.name: f.column for f in AppealStatsRollup._meta.concrete_fields}
    dims = [qn(fields[name]) for name in DIMENSIONS if name != "day"]
    sums = ", ".join(f"SUM({qn(fields[name])})" for name in COUNT_COLUMNS)
    sql = (
        f"INSERT INTO {_table()} ({', '.join(qn(c) for c in _columns())}) "
        f"SELECT %s, {', '.join(dims)}, %s, {sums} FROM {_table()} "
        f"WHERE {qn(fields['whole_month'])} = %s AND {qn(fields['day'])} >= %s "
        f"AND {qn(fields['day'])} < %s GROUP BY {', '.join(dims)}"
    )
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return sql, [first, True, False, first, following]


def _rebuild_days(days: list[dt.date]) -> int:
    """Replace the day rows of ``days`` and the month rows of their months, a month at a time
    (in the caller's transaction, under the lock); returns the day rows written."""
    days = sorted(set(days))
    by_month: dict[dt.date, list[dt.date]] = {}
    for day in days:
        by_month.setdefault(day.replace(day=1), []).append(day)
    written = 0
    with connection.cursor() as cursor:
        for first, month_days in by_month.items():
            AppealStatsRollup.objects.filter(whole_month=False, day__in=month_days).delete()
            cursor.execute(*_day_rows_sql(runs(month_days)))
            written += cursor.rowcount
            AppealStatsRollup.objects.filter(whole_month=True, day=first).delete()
            cursor.execute(*_month_rows_sql(first))
    return written


class AppealRollup(DayRollup):
    """The figures' roll-up on portal's mark-and-refresh pattern: marks are ``AppealStatsMark``,
    built days ``AppealStatsDay``, and a day's rows come from ``_rebuild_days``."""

    name = "figures-rollup"
    mark_model = AppealStatsMark
    built_model = AppealStatsDay

    def rebuild_days(self, days: list[dt.date]) -> int:
        return _rebuild_days(days)  # looked up at call time, so a test can wrap it

    def first_source_day(self) -> dt.date | None:
        earliest = Appeal.objects.aggregate(first=Min("accepted_at"))["first"]
        return timezone.localdate(earliest) if earliest is not None else None


ROLLUP = AppealRollup()


def refresh() -> Rebuilt:
    """Rebuild the days marked since their last rebuild (Celery beat, every minute)."""
    return ROLLUP.refresh()


def rebuild(first: dt.date | None = None, last: dt.date | None = None) -> Rebuilt:
    """Rebuild every day from ``first`` (default: the first day anything was accepted, or the
    first day the roll-up has built, if earlier — so the rows of days whose appeals are gone are
    deleted too) to ``last`` (default: today), a month per transaction."""
    return ROLLUP.rebuild(first, last)


def recount_handling_days(*, missing_only: bool = False) -> int:
    """Recount every closed appeal's handling time from the holiday table as it stands now
    (after a correction of past holidays), or only where it is missing; marks the days whose
    appeals changed. Returns the appeals updated."""
    closed = Appeal.objects.filter(counted_q(), status=Status.CLOSED, closed_at__isnull=False)
    if missing_only:
        closed = closed.filter(handling_days__isnull=True)
    bounds = closed.aggregate(first=Min("accepted_at"))
    if bounds["first"] is None:
        return 0
    first = timezone.localdate(bounds["first"])
    recounted = WorkingDaysBetween(
        TruncDate("accepted_at"),
        TruncDate("closed_at"),
        first=first,
        last=timezone.localdate() + dt.timedelta(days=1),
    ) - F("stopped_days")
    with transaction.atomic():
        days = _days_of(closed)
        # Never negative, as at closure.
        updated = closed.update(handling_days=Greatest(Value(0), recounted))
        mark_days(days)
    return updated


# --- the appeal tally -------------------------------------------------------------------------

# One statement: rows appended meanwhile are not in its snapshot and stay; a compaction running
# at the same time waits for these rows' locks, then finds them gone and skips them.
COMPACT_TALLY = """
WITH folded AS (DELETE FROM enterprises_appealtally RETURNING status, lead_department_id, delta)
INSERT INTO enterprises_appealtally (status, lead_department_id, delta)
SELECT status, lead_department_id, sum(delta) FROM folded GROUP BY 1, 2 HAVING sum(delta) <> 0
"""


def compact_tally() -> int:
    """Fold the appeal tally (``AppealTally``) into one row per status and lead department;
    the rows left."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_TALLY)
        return cursor.rowcount
