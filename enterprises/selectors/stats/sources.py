"""Where the counts come from. Every count is a column of ``AppealStatsRollup``; for each day of
the period it is read from exactly one place:

- the roll-up, for days it was built for and that no appeal step has marked since (whole
  months from their month rows, the other days from their day rows);
- the appeals themselves, for every other day (marked, or never built): the same aggregate
  expressions the roll-up is built with (``appeal_columns``, ``assignment_columns``), so both
  count alike by construction;
- and, for all days, what changes with the date alone — overdue appeals, and routings still
  unsigned past their sign-for day — from the appeals, through small partial indexes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from enterprises.models import AppealStatsDay, AppealStatsMark, AppealStatsRollup, Assignment
from enterprises.models.appeals import Status
from enterprises.models.stats import COUNT_COLUMNS, HISTOGRAM, HISTOGRAM_DAYS
from enterprises.selectors.stats.definitions import (
    StatsFilters,
    can_view_stats,
    department_in_scope,
    overdue_q,
    pending_sign_q,
    period_q,
    scoped_appeals,
    scoped_assignments,
    settled_appeal_buckets,
    settled_assignment_buckets,
)
from enterprises.selectors.stats.groupings import Grouping
from portal.figures import month_end, runs
from portal.models import User

# --- the columns, as aggregates over appeals and over routings --------------------------------


def appeal_columns() -> dict:
    """The roll-up's appeal-level columns as aggregates over counted appeals."""
    columns = {name: Count("pk", filter=q or None) for name, q in settled_appeal_buckets().items()}
    closed = Q(status=Status.CLOSED)
    columns["handling_days_sum"] = Coalesce(Sum("handling_days", filter=closed), Value(0))
    for days, name in enumerate(HISTOGRAM):
        columns[name] = Count("pk", filter=closed & Q(handling_days=days))
    columns["days_over"] = Count("pk", filter=closed & Q(handling_days__gte=HISTOGRAM_DAYS))
    return columns


def assignment_columns() -> dict:
    """The roll-up's routing columns as aggregates over routings of counted appeals: routings
    per bucket, and the distinct appeals behind them."""
    columns = {}
    for name, q in settled_assignment_buckets().items():
        columns[name] = Count("pk", filter=q or None)
        columns[f"{name}_appeals"] = Count("appeal_id", distinct=True, filter=q or None)
    return columns


def routed_appeal_columns() -> dict:
    """Appeals with a routing in each bucket, whichever department it went to, as aggregates
    over routings grouped by their appeal's key (the roll-up's ``…_appeals_any``)."""
    return {
        f"{name}_appeals_any": Count("appeal_id", distinct=True, filter=q or None)
        for name, q in settled_assignment_buckets().items()
    }


def pending_sign_columns(today: dt.date) -> dict:
    """Routings unsigned past their sign-for day on ``today``, and their appeals — those not
    already counted through a settled routing (to the same department, or to any)."""
    pending = pending_sign_q(today)
    settled = settled_assignment_buckets()["sign_due"]
    same_department = Assignment.objects.filter(
        settled, appeal_id=OuterRef("appeal_id"), department_id=OuterRef("department_id")
    )
    any_department = Assignment.objects.filter(settled, appeal_id=OuterRef("appeal_id"))
    return {
        "sign_due_pending": Count("pk", filter=pending),
        "sign_due_pending_appeals": Count(
            "appeal_id", distinct=True, filter=pending & ~Exists(same_department)
        ),
        "sign_due_pending_appeals_any": Count(
            "appeal_id", distinct=True, filter=pending & ~Exists(any_department)
        ),
    }


# --- which days come from where ---------------------------------------------------------------

Run = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class Plan:
    """For one period: the roll-up's month rows and day rows to read, and the runs of days of
    acceptance counted from the appeals (``None`` ends are open)."""

    months: tuple[dt.date, ...] = ()
    days: tuple[tuple[dt.date, dt.date], ...] = ()
    live: tuple[Run, ...] = ()

    @classmethod
    def for_period(cls, date_from: dt.date | None, date_to: dt.date | None) -> Plan:
        """Read which days are built and unchanged (one query) and share the period out."""
        built = AppealStatsDay.objects.all()
        if date_from:
            built = built.filter(day__gte=date_from)
        if date_to:
            built = built.filter(day__lte=date_to)
        changed = Exists(AppealStatsMark.objects.filter(day=OuterRef("day")))
        clean = sorted(
            day
            for day, dirty in built.annotate(dirty=changed).values_list("day", "dirty")
            if not dirty
        )
        if not clean:
            return cls.live_only(date_from, date_to)
        clean_set = set(clean)
        months = []
        for first in sorted({day.replace(day=1) for day in clean}):
            last = month_end(first)
            inside = (not date_from or date_from <= first) and (not date_to or last <= date_to)
            if inside and all(
                first + dt.timedelta(days=n) in clean_set for n in range((last - first).days + 1)
            ):
                months.append(first)
        whole = set(months)
        days = runs([day for day in clean if day.replace(day=1) not in whole])
        live: list[Run] = []
        start: dt.date | None = date_from
        for first, last in runs(clean):
            if start is None or start < first:
                live.append((start, first - dt.timedelta(days=1)))
            start = last + dt.timedelta(days=1)
        if date_to is None or start <= date_to:
            live.append((start, date_to))
        return cls(months=tuple(months), days=tuple(days), live=tuple(live))

    @classmethod
    def live_only(cls, date_from: dt.date | None, date_to: dt.date | None) -> Plan:
        return cls(live=((date_from, date_to),))

    def rollup_q(self) -> Q | None:
        q = Q()
        if self.months:
            q |= Q(whole_month=True, day__in=self.months)
        for first, last in self.days:
            q |= Q(whole_month=False, day__range=(first, last))
        return q or None

    def live_q(self, prefix: str = "") -> Q | None:
        q = Q()
        for first, last in self.live:
            q |= period_q(first, last, prefix) if first or last else Q(pk__isnull=False)
        return q or None


def plan_for(user: User, filters: StatsFilters) -> Plan:
    """Which days come from the roll-up: only for the staff the roll-up can scope (all, or one
    department); anyone else's figures are counted from the appeals they may see."""
    if not can_view_stats(user):
        return Plan.live_only(filters.date_from, filters.date_to)
    return Plan.for_period(filters.date_from, filters.date_to)


# --- reading ----------------------------------------------------------------------------------


JIT_NOTE = """PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high,
and the figures' queries — scores of conditional aggregates over a few thousand rows — cost much
on paper and little in fact: on 10^6 appeals, 14 s with JIT (mostly LLVM's optimisation), 0.4 s
without. So the figures and the roll-up's rebuilds run with JIT off."""


@contextmanager
def jit_off():
    """JIT off for the queries inside (see ``JIT_NOTE``), then back to the server's default;
    after an error the connection keeps it off, which does no harm."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")


def _rollup_scope(user: User, filters: StatsFilters) -> Q:
    q = Q()
    department = department_in_scope(user, filters)
    if department:
        q &= Q(department_id=department)
    if filters.category:
        q &= Q(category_id=filters.category.pk)
    if filters.county:
        q &= Q(county_id=filters.county.pk)
    if filters.source:
        q &= Q(source=filters.source)
    if filters.session:
        q &= Q(session_id=filters.session.pk)
    return q


ZERO = Value(0, output_field=IntegerField())


def _grouped(parts: list[tuple[QuerySet, object, dict]]) -> list[tuple[object, dict]]:
    """Each part's aggregates per its key (``None``: all its rows together), in one query: the
    parts' grouped rows one after the other (UNION ALL), each with every part's columns (zero
    where it has none). Separate parts, rather than one ``WHERE a OR b``, keep each on its
    index and each aggregate's condition simple."""
    names = list(dict.fromkeys(name for *_rest, aggregates in parts for name in aggregates))
    queries = [
        queryset.values(
            _key=Value(None, output_field=IntegerField()) if key is None else key
        ).annotate(**{name: aggregates.get(name, ZERO) for name in names})
        for queryset, key, aggregates in parts
    ]
    query = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return [(row.pop("_key"), row) for row in query]


def counts_by_key(
    user: User, filters: StatsFilters, grouping: Grouping | None, plan: Plan, today: dt.date
) -> dict[object, dict[str, int]]:
    """Every roll-up column and live column, summed per raw group key (``None`` without a
    grouping). Three queries: the roll-up, the appeals, the routings."""
    sums: dict[object, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_COLUMNS, 0))
    normalize = grouping.normalize if grouping else None

    def add(rows):
        for raw, values in rows:
            target = sums[normalize(raw) if normalize else raw]
            for name, value in values.items():
                target[name] = target.get(name, 0) + (value or 0)

    def key(name):
        return getattr(grouping, name)() if grouping else None

    rollup_q = plan.rollup_q()
    if rollup_q is not None:
        rows = AppealStatsRollup.objects.filter(rollup_q & _rollup_scope(user, filters))
        sums_of = {name: Sum(name) for name in COUNT_COLUMNS}
        add(_grouped([(rows.order_by(), key("rollup_key"), sums_of)]))

    # What changes with the date, for every day; and every column for the days not rolled up.
    appeals = scoped_appeals(user, filters)
    parts = [(appeals.filter(overdue_q(today)), key("appeal_key"), {"overdue_open": Count("pk")})]
    live_q = plan.live_q()
    if live_q is not None:
        parts.append((appeals.filter(live_q), key("appeal_key"), appeal_columns()))
    add(_grouped(parts))

    routings = scoped_assignments(user, filters)
    pending = routings.filter(pending_sign_q(today))
    parts = [(pending, key("assignment_key"), pending_sign_columns(today))]
    live_q = plan.live_q("appeal__")
    if live_q is not None:
        routings = routings.filter(live_q)
        parts.append((routings, key("assignment_key"), assignment_columns()))
        if department_in_scope(user, filters) is None:
            # (Cut to one department, its routings' own appeals are counted instead.)
            parts.append((routings, key("routed_appeal_key"), routed_appeal_columns()))
    add(_grouped(parts))
    return {key: values for key, values in sums.items() if any(values.values())}


def long_handling_days(
    user: User, filters: StatsFilters, grouping: Grouping | None
) -> dict[object, list[int]]:
    """Handling times of ``HISTOGRAM_DAYS`` working days or more, sorted, per group key and
    under ``None`` for all of them: the median's tail, read only when a median falls there."""
    closed = scoped_appeals(user, filters).filter(
        status=Status.CLOSED, handling_days__gte=HISTOGRAM_DAYS
    )
    found: dict[object, list[int]] = defaultdict(list)
    if grouping is None:
        found[None] = sorted(closed.values_list("handling_days", flat=True))
        return found
    for raw, days in closed.values_list(grouping.appeal_key(), "handling_days"):
        found[grouping.normalize(raw)].append(days)
        found[None].append(days)
    for values in found.values():
        values.sort()
    return found
