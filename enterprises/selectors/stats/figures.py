"""The figures themselves: rows of counts, rates and handling times per group, their total, the
link behind each number, and the department ranking (晾晒)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from enterprises.models.stats import APPEAL_COUNTS, COUNT_COLUMNS, HISTOGRAM, ROUTING_BUCKETS
from enterprises.selectors.stats.definitions import (
    ASSIGNMENT_BUCKETS,
    COUNTS,
    RATES,
    ROUTING_APPEALS,
    StatsFilters,
    department_in_scope,
    own_department_only,
)
from enterprises.selectors.stats.groupings import GROUPINGS, Grouping
from enterprises.selectors.stats.sources import (
    Plan,
    counts_by_key,
    jit_off,
    long_handling_days,
    plan_for,
)
from portal.figures import histogram_median, rate, rounded
from portal.models import User


@dataclass
class FigureRow:
    """One row of figures: counts per bucket, rates and handling time."""

    key: object
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    avg_handling_days: float | None = None
    median_handling_days: float | None = None
    # Appeal-list parameters selecting this row (filled in by ``appeal_stats``).
    link_params: dict = field(default_factory=dict)
    lowest: bool = False
    rank: int | None = None

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        if name in RATES:
            numerator, denominator = RATES[name]
            return rate(counts.get(numerator, 0), counts.get(denominator, 0))
        raise AttributeError(name)

    def as_dict(self) -> dict:
        data = {"key": self.key, "label": self.label}
        for name in COUNTS:
            data[name] = self.counts.get(name, 0)
        for name in RATES:
            data[name] = getattr(self, name)
        data["avg_handling_days"] = self.avg_handling_days
        data["median_handling_days"] = self.median_handling_days
        return data


def _row(
    key, label: str, sums: dict[str, int], *, per_department: bool, tail: Callable[[], list[int]]
) -> FigureRow:
    """Figures from summed columns. Routing figures count the distinct appeals behind them
    at the department routed to (``per_department``) or whichever department it was."""
    counts = {name: sums.get(name, 0) for name in (*APPEAL_COUNTS, "overdue_open")}
    for name in ROUTING_BUCKETS:
        counts[name] = sums.get(name, 0)
        counts[ROUTING_APPEALS[name]] = sums.get(
            f"{name}_appeals" if per_department else f"{name}_appeals_any", 0
        )
    counts["sign_due"] += sums.get("sign_due_pending", 0)
    counts["sign_due_appeals"] += sums.get(
        "sign_due_pending_appeals" if per_department else "sign_due_pending_appeals_any", 0
    )
    row = FigureRow(key=key, label=label, counts=counts)
    histogram = [sums.get(name, 0) for name in HISTOGRAM]
    over = sums.get("days_over", 0)
    handled = sum(histogram) + over
    if handled:
        row.avg_handling_days = rounded(sums.get("handling_days_sum", 0) / handled)
        row.median_handling_days = rounded(histogram_median(histogram, over, tail))
    return row


def _add(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        total[name] = total.get(name, 0) + value


class _Tails:
    """The long handling times of the period, read at most once and only if a median needs
    them."""

    def __init__(self, user: User, filters: StatsFilters, grouping: Grouping | None):
        self.args = (user, filters, grouping)
        self.found: dict | None = None

    def of(self, key) -> Callable[[], list[int]]:
        def tail():
            if self.found is None:
                self.found = long_handling_days(*self.args)
            return self.found.get(key, [])

        return tail


@dataclass
class Stats:
    """The answer of ``appeal_stats``: rows per group (empty without grouping) and the total."""

    filters: StatsFilters
    grouping: Grouping | None
    rows: list[FigureRow]
    total: FigureRow
    today: dt.date

    def as_dict(self) -> dict:
        return {"rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}


def list_params(
    user: User, filters: StatsFilters, figure: str, group_params: dict | None = None
) -> dict[str, str]:
    """Appeal-list query parameters selecting exactly the appeals behind ``figure``."""
    per_assignment = figure in ASSIGNMENT_BUCKETS
    params: dict = {"figure": figure}
    if filters.date_from:
        params["accepted_from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["accepted_to"] = filters.date_to.isoformat()
    department = filters.department.pk if filters.department else None
    if own_department_only(user):
        department = user.department_id
    if department:
        params["assigned_to" if per_assignment else "department"] = department
    if filters.category:
        params["category"] = filters.category.pk
    if filters.county:
        params["county"] = filters.county.pk
    if filters.source:
        params["source"] = filters.source
    if filters.session:
        params["session"] = filters.session.pk
    params.update(group_params or {})
    return {k: str(v) for k, v in params.items()}


def appeal_stats(
    user: User,
    filters: StatsFilters | None = None,
    group_by: str | None = None,
    *,
    today: dt.date | None = None,
) -> Stats:
    """Every figure of DESIGN §3 for the appeals ``user`` may see, cut by ``group_by``.

    Runs a fixed number of queries (see ``stats_by``). Raises ``KeyError`` for a grouping that
    is not registered.
    """
    groupings = (group_by,) if group_by else ()
    return stats_by(user, filters, groupings, today=today)[group_by]


def stats_by(
    user: User,
    filters: StatsFilters | None = None,
    groupings: Iterable[str] = (),
    *,
    today: dt.date | None = None,
) -> dict[str | None, Stats]:
    """The figures cut several ways at once (the dashboard), sharing one total: keyed by the
    grouping's name, and ``None`` for the total alone.

    Queries: one to see which days the roll-up holds, then per grouping (or once for the total
    alone) the roll-up, the appeals and the routings, and one to name the groups (department,
    category, county, session); on PostgreSQL two more switch JIT off and on again. The total
    is the sum of any grouping's rows. Rarely, one more per grouping when a median lies beyond
    the roll-up's histogram.
    """
    with jit_off():
        return _stats_by(user, filters or StatsFilters(), groupings, today or timezone.localdate())


def _stats_by(
    user: User, filters: StatsFilters, groupings: Iterable[str], today: dt.date
) -> dict[str | None, Stats]:
    plan: Plan = plan_for(user, filters)
    # Cut to one department, routing figures count that department's routings throughout.
    one_department = department_in_scope(user, filters) is not None
    cuts: dict[str, tuple[Grouping, list[FigureRow]]] = {}
    total: FigureRow | None = None
    for name in groupings:
        grouping = GROUPINGS[name]
        sums = counts_by_key(user, filters, grouping, plan, today)
        tails = _Tails(user, filters, grouping)
        per_department = one_department or name == "department"
        rows = []
        for raw, (key, label) in grouping.resolve(list(sums)).items():
            row = _row(key, label, sums[raw], per_department=per_department, tail=tails.of(raw))
            row.link_params = {
                False: grouping.link(key, filters, False),
                True: grouping.link(key, filters, True),
            }
            rows.append(row)
        if grouping.sort_by_key:
            rows.sort(key=lambda r: (r.key is None, r.key if r.key is not None else 0))
        else:
            rows.sort(key=lambda r: (r.key is None, r.label, str(r.key)))
        cuts[name] = (grouping, rows)
        if total is None:
            summed = dict.fromkeys(COUNT_COLUMNS, 0)
            for values in sums.values():
                _add(summed, values)
            total = _row(
                None,
                gettext("Total"),
                summed,
                per_department=one_department,
                tail=tails.of(None),
            )
    if total is None:
        sums = counts_by_key(user, filters, None, plan, today)
        total = _row(
            None,
            gettext("Total"),
            sums.get(None, {}),
            per_department=one_department,
            tail=_Tails(user, filters, None).of(None),
        )
    result = {None: Stats(filters=filters, grouping=None, rows=[], total=total, today=today)}
    for name, (grouping, rows) in cuts.items():
        result[name] = Stats(
            filters=filters, grouping=grouping, rows=rows, total=total, today=today
        )
    return result


def figure_link_params(user: User, stats: Stats, row: FigureRow | None, figure: str) -> dict | None:
    """List parameters for ``figure`` of ``row`` (``None``: the total); ``None`` where no
    appeal can be behind the number."""
    if row is None:
        return list_params(user, stats.filters, figure)
    group = row.link_params[figure in ASSIGNMENT_BUCKETS]
    return list_params(user, stats.filters, figure, group) if group is not None else None


def rank(rows: list[FigureRow], by: str = "closure_rate", lowest: int = 3) -> list[FigureRow]:
    """Departments best first by the rate ``by`` (晾晒), numbered in ``row.rank``. Rows without
    that rate, and the row of appeals not routed yet, come last without a rank. The ``lowest``
    worst ranked rows are marked ``lowest``, but never more than half of them."""
    ranked = [r for r in rows if r.key is not None and getattr(r, by) is not None]
    rest = [r for r in rows if r not in ranked]
    ranked.sort(key=lambda r: (-getattr(r, by), -r.counts.get("accepted", 0), r.label))
    mark = min(lowest, len(ranked) // 2)
    for index, row in enumerate(ranked):
        row.rank = index + 1
        row.lowest = index >= len(ranked) - mark
    for row in rest:
        row.rank, row.lowest = None, False
    return ranked + rest
