"""Figures leaders ask for (DESIGN.md §3), computed in the database.

``appeal_stats`` (one grouping) and ``stats_by`` (several, sharing a total) are the one place
behind the dashboard, the API, the Excel exports and the monthly report. Every figure is a count
over one of two row sets that share the same filters:

- appeals (``Appeal``): accepted at least once, not merged into another appeal, accepted in the
  period (by the day in Asia/Shanghai), grouped by the lead department in force;
- assignments (``Assignment``, one per routing) of those appeals, for the two figures defined per
  assignment (timely sign-for, routing disputes), grouped by the department they were sent to.

The buckets counted (``definitions``) are the same ``Q`` objects that ``enterprises.filters``
applies to the appeal list, so a number and the list behind it agree by construction.

Speed (DESIGN §6): the counts of each day of acceptance are kept in a roll-up
(``enterprises.models.stats``), rebuilt by Celery from the appeals for the days an appeal step
marked. A figure sums the roll-up for days that are built and unmarked, and counts every other
day from the appeals with the very same aggregates (``sources``), so it is never stale. Handling
time is stored per appeal when it closes (``Appeal.handling_days``); the roll-up keeps its sum and
a histogram, from which the exact median is read.

Modules: ``definitions`` (roles, buckets, rates, filters), ``groupings`` (the ways to cut),
``sources`` (roll-up or live, per day), ``figures`` (rows, totals, links, ranking).
"""

from enterprises.selectors.stats.definitions import (
    APPEAL_BUCKETS,
    ASSIGNMENT_BUCKETS,
    COUNTS,
    FIGURES,
    RATES,
    ROUTING_APPEALS,
    ROUTING_COUNTS,
    STATS_ROLES,
    StatsFilters,
    WorkingDaysBetween,
    appeal_buckets,
    appeals_behind,
    appeals_with_assignment,
    assignment_buckets,
    can_view_stats,
    counted_q,
    county_key,
    county_q,
    day_start,
    dimension_q,
    own_department_only,
    period_q,
    scoped_appeals,
    scoped_assignments,
)
from enterprises.selectors.stats.figures import (
    FigureRow,
    Stats,
    appeal_stats,
    figure_link_params,
    list_params,
    rank,
    rate,
    stats_by,
)
from enterprises.selectors.stats.groupings import GROUPINGS, Grouping, register

__all__ = [
    "APPEAL_BUCKETS",
    "ASSIGNMENT_BUCKETS",
    "COUNTS",
    "FIGURES",
    "GROUPINGS",
    "RATES",
    "ROUTING_APPEALS",
    "ROUTING_COUNTS",
    "STATS_ROLES",
    "FigureRow",
    "Grouping",
    "Stats",
    "StatsFilters",
    "WorkingDaysBetween",
    "appeal_buckets",
    "appeal_stats",
    "appeals_behind",
    "appeals_with_assignment",
    "assignment_buckets",
    "can_view_stats",
    "counted_q",
    "county_key",
    "county_q",
    "day_start",
    "dimension_q",
    "figure_link_params",
    "list_params",
    "own_department_only",
    "period_q",
    "rank",
    "rate",
    "register",
    "scoped_appeals",
    "scoped_assignments",
    "stats_by",
]
