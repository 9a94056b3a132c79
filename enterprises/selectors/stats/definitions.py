"""What the figures count (DESIGN §3): who may read them, the row sets, and each figure's
numerator and denominator as a ``Q`` object — the same objects the appeal list filters with
(``enterprises.filters``), so a number and the list behind it agree by construction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, When
from django.utils import timezone

from enterprises.models import (
    Appeal,
    AppealCategory,
    Assignment,
    DialogueSession,
    Rating,
    Status,
)
from enterprises.models.appeals import UNANSWERED
from portal.models import CalendarDay, Department, Region, Role, User

STATS_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.DEPARTMENT_HEAD)
SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


def can_view_stats(user: User) -> bool:
    """Dispatchers, leaders, admins and department heads; entrepreneurs and handlers do not."""
    return user.is_authenticated and user.has_role(*STATS_ROLES)


def own_department_only(user: User) -> bool:
    """A department head sees the rows of their own department and nothing else."""
    return user.role == Role.DEPARTMENT_HEAD and not user.is_superuser


# --- the buckets: each figure's numerator and denominator as a Q ------------------------------


def settled_appeal_buckets() -> dict[str, Q]:
    """Appeal-level buckets that only a step on the appeal can change (the roll-up keeps them)."""
    closed = Q(status=Status.CLOSED)
    # The department's final reply, on the day it was given in Asia/Shanghai.
    on_time = Q(replied_at__date__lte=F("due_date"))
    return {
        "accepted": Q(),
        "closed": closed,
        "closed_on_time": closed & on_time,
        # Met the deadline in force only because an approved extension moved it.
        "closed_on_time_extended": closed
        & on_time
        & Q(extended=True, replied_at__date__gt=F("original_due_date")),
        "closed_late": closed & Q(replied_at__date__gt=F("due_date")),
        "rated": ~Q(rating=""),
        "satisfied": Q(rating__in=SATISFIED),
        "callbacks": ~Q(callback_rating=""),
        "callback_satisfied": Q(callback_rating__in=SATISFIED),
        "replied": Q(reply_count__gte=1),
        "rehandled": Q(rehandle_count__gte=1),
    }


def overdue_q(today: dt.date) -> Q:
    """Not yet replied and past the deadline in force on ``today``: changes with the date."""
    return Q(status__in=UNANSWERED, due_date__lt=today)


def appeal_buckets(today: dt.date) -> dict[str, Q]:
    """Appeal-level buckets, applied to counted, accepted appeals. ``today`` fixes "overdue"."""
    return {**settled_appeal_buckets(), "overdue_open": overdue_q(today)}


def settled_assignment_buckets() -> dict[str, Q]:
    """Assignment-level buckets as far as no date can change them. An assignment's sign-for day
    is its ``sign_due_date`` (the category's sign-for limit, 1 working day by default, counted
    from the day it was assigned)."""
    return {
        "assignments": Q(),
        # Signed, or returned unsigned after the sign-for day (sending a misrouted appeal back
        # in time is not a late signature).
        "sign_due": Q(signed_at__isnull=False)
        | Q(signed_at__isnull=True, returned_at__date__gt=F("sign_due_date")),
        "signed_in_time": Q(signed_at__date__lte=F("sign_due_date")),
        "disputed": Q(is_dispute=True),
    }


def pending_sign_q(today: dt.date) -> Q:
    """Neither signed nor returned, and the sign-for day has passed by ``today``."""
    return Q(signed_at__isnull=True, returned_at__isnull=True, sign_due_date__lt=today)


def assignment_buckets(today: dt.date) -> dict[str, Q]:
    """Assignment-level buckets: sign-for is due once signed or once the sign-for day passed."""
    buckets = settled_assignment_buckets()
    buckets["sign_due"] = buckets["sign_due"] | pending_sign_q(today)
    return buckets


APPEAL_BUCKETS = tuple(appeal_buckets(dt.date.min))
ASSIGNMENT_BUCKETS = tuple(assignment_buckets(dt.date.min))
FIGURES = APPEAL_BUCKETS + ASSIGNMENT_BUCKETS
# Routing figures count routings; an appeal routed twice is one row of the list behind them, so
# each also has a count of the distinct appeals behind it: the number its link shows.
ROUTING_APPEALS = {name: f"{name}_appeals" for name in ASSIGNMENT_BUCKETS}
COUNTS = FIGURES + tuple(ROUTING_APPEALS.values())
ROUTING_COUNTS = ASSIGNMENT_BUCKETS + tuple(ROUTING_APPEALS.values())


def appeals_behind(figure: str) -> str:
    """The count that equals the length of the appeal list behind ``figure``."""
    return ROUTING_APPEALS.get(figure, figure)


# rate name: (numerator, denominator)
RATES = {
    "closure_rate": ("closed", "accepted"),
    "on_time_rate": ("closed_on_time", "closed"),
    "on_time_extended_rate": ("closed_on_time_extended", "closed"),
    "satisfaction_rate": ("satisfied", "rated"),
    "callback_satisfaction_rate": ("callback_satisfied", "callbacks"),
    "sign_in_time_rate": ("signed_in_time", "sign_due"),
    "return_rate": ("disputed", "assignments"),
    "rehandle_rate": ("rehandled", "replied"),
}


# --- working days in SQL ----------------------------------------------------------------------


class WorkingDaysBetween(Func):
    """Working days after ``start`` up to and including ``end`` (both dates), as
    ``portal.workdays.working_days_between`` counts them: Monday to Friday, less the calendar's
    holidays, plus its make-up workdays. ``first``..``last`` bound the dates it is asked about
    (outside them the answer is NULL on PostgreSQL).

    The figures read each appeal's stored ``handling_days``; this recounts them from the holiday
    table as it stands (``manage.py rebuild_stats --handling-days``)."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start, end, *, first: dt.date, last: dt.date):
        super().__init__(start, end)
        self.first, self.last = first, last

    def _sides(self, compiler, connection):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return start_sql, list(start_params), end_sql, list(end_params)

    def as_postgresql(self, compiler, connection, **extra):
        start_sql, start_params, end_sql, end_params = self._sides(compiler, connection)
        table = connection.ops.quote_name(CalendarDay._meta.db_table)
        # Cumulative working days from ``first``: evaluated once per query (an InitPlan).
        cumulative = (
            "(SELECT array_agg(w.n ORDER BY w.d) FROM (SELECT g.d, SUM(CASE WHEN "
            "COALESCE(c.kind = 'workday', EXTRACT(ISODOW FROM g.d) < 6) THEN 1 ELSE 0 END) "
            "OVER (ORDER BY g.d)::int AS n FROM (SELECT generate_series(%s::date, %s::date, "
            f"interval '1 day')::date AS d) g LEFT JOIN {table} c ON c.date = g.d) w)"
        )
        sql = (
            f"({cumulative}[({end_sql}) - %s::date + 1] "
            f"- {cumulative}[({start_sql}) - %s::date + 1])"
        )
        span = [self.first, self.last]
        return sql, [*span, *end_params, self.first, *span, *start_params, self.first]

    def as_sqlite(self, compiler, connection, **extra):
        start_sql, start_params, end_sql, end_params = self._sides(compiler, connection)
        table = connection.ops.quote_name(CalendarDay._meta.db_table)

        def weekdays_since_epoch(sql):
            # Monday to Friday from Monday 2000-01-03 up to and including the day.
            n = f"(CAST(julianday({sql}) - julianday('2000-01-03') AS INTEGER) + 1)"
            return f"(5 * ({n} / 7) + MIN({n} %% 7, 5))"

        exceptions = (
            "(SELECT COALESCE(SUM(CASE "
            "WHEN c.kind = 'workday' AND strftime('%%w', c.date) IN ('0', '6') THEN 1 "
            "WHEN c.kind = 'holiday' AND strftime('%%w', c.date) NOT IN ('0', '6') THEN -1 "
            f"ELSE 0 END), 0) FROM {table} c WHERE c.date > ({start_sql}) "
            f"AND c.date <= ({end_sql}))"
        )
        sql = (
            f"({weekdays_since_epoch(end_sql)} - {weekdays_since_epoch(start_sql)} + {exceptions})"
        )
        # Each side appears twice in its weekday count, then once in the exceptions' range.
        return sql, [*end_params * 2, *start_params * 2, *start_params, *end_params]


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsFilters:
    """The period (by the day of acceptance) and the dimensions the figures are cut by."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    department: Department | None = None
    category: AppealCategory | None = None
    county: Region | None = None
    source: str = ""
    session: DialogueSession | None = None

    def params(self) -> dict[str, str]:
        """The filters as query parameters of the dashboard and the API."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "department": self.department.pk if self.department else "",
            "category": self.category.pk if self.category else "",
            "county": self.county.pk if self.county else "",
            "source": self.source,
            "session": self.session.pk if self.session else "",
        }
        return {k: str(v) for k, v in values.items() if v != ""}


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Asia/Shanghai."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def period_q(date_from: dt.date | None, date_to: dt.date | None, prefix: str = "") -> Q:
    """Accepted on one of the days from ``date_from`` to ``date_to`` (Asia/Shanghai),
    as a range on ``accepted_at`` so that its index serves."""
    q = Q()
    if date_from:
        q &= Q(**{f"{prefix}accepted_at__gte": day_start(date_from)})
    if date_to:
        q &= Q(**{f"{prefix}accepted_at__lt": day_start(date_to + dt.timedelta(days=1))})
    return q


def county_key(prefix: str = "") -> Case:
    """The county (region id) an appeal's enterprise lies in, whether the enterprise is placed
    at a county, a township or a village; NULL above county level or without a place."""
    region = f"{prefix}enterprise__region"
    return Case(
        When(**{f"{region}__level": Region.Level.COUNTY}, then=F(f"{region}_id")),
        When(**{f"{region}__level": Region.Level.TOWNSHIP}, then=F(f"{region}__parent_id")),
        When(
            **{f"{region}__level": Region.Level.VILLAGE},
            then=F(f"{region}__parent__parent_id"),
        ),
        default=None,
        output_field=IntegerField(),
    )


def county_q(county: Region | None, prefix: str = "") -> Q:
    """Enterprises in ``county`` (placed at it or below it); ``None``: in no county."""
    region = f"{prefix}enterprise__region"
    if county is None:
        return Q(**{f"{region}__isnull": True}) | Q(**{f"{region}__level__lt": Region.Level.COUNTY})
    return (
        Q(**{f"{region}__level": Region.Level.COUNTY, f"{region}_id": county.pk})
        | Q(**{f"{region}__level": Region.Level.TOWNSHIP, f"{region}__parent_id": county.pk})
        | Q(
            **{
                f"{region}__level": Region.Level.VILLAGE,
                f"{region}__parent__parent_id": county.pk,
            }
        )
    )


def counted_q(prefix: str = "") -> Q:
    """Appeals that count in figures: accepted at least once, merged repeats left out."""
    return Q(**{f"{prefix}accepted_at__isnull": False, f"{prefix}merged_into__isnull": True})


def dimension_q(filters: StatsFilters, prefix: str = "") -> Q:
    """Period, category, county, source and session of the appeal (department is applied per
    row set)."""
    q = period_q(filters.date_from, filters.date_to, prefix)
    if filters.category:
        q &= Q(**{f"{prefix}category_id": filters.category.pk})
    if filters.county:
        q &= county_q(filters.county, prefix)
    if filters.source:
        q &= Q(**{f"{prefix}source": filters.source})
    if filters.session:
        q &= Q(**{f"{prefix}session_id": filters.session.pk})
    return q


def department_in_scope(user: User, filters: StatsFilters) -> int | None:
    """The one department the figures are cut to: the head's own, or the one asked for."""
    if own_department_only(user):
        return user.department_id
    return filters.department.pk if filters.department else None


def scoped_appeals(user: User, filters: StatsFilters) -> QuerySet:
    """The appeals behind the figures, in ``user``'s scope (``visible_to``)."""
    qs = Appeal.objects.visible_to(user).filter(counted_q() & dimension_q(filters))
    if own_department_only(user):
        qs = qs.filter(lead_department_id=user.department_id)
    if filters.department:
        qs = qs.filter(lead_department_id=filters.department.pk)
    return qs.order_by()


def scoped_assignments(user: User, filters: StatsFilters) -> QuerySet:
    """Routings of those appeals. A department's routings are its own figures even when the
    appeal was sent back and is now led (and seen) by another department."""
    if not can_view_stats(user):
        return Assignment.objects.none()
    qs = Assignment.objects.visible_to(user).filter(
        counted_q("appeal__") & dimension_q(filters, "appeal__")
    )
    if own_department_only(user):
        qs = qs.filter(department_id=user.department_id)
    if filters.department:
        qs = qs.filter(department_id=filters.department.pk)
    return qs.order_by()


def appeals_with_assignment(bucket: str, today: dt.date, department_id: int | None) -> Exists:
    """Appeals with at least one routing in ``bucket`` (to ``department_id`` when given)."""
    qs = Assignment.objects.filter(assignment_buckets(today)[bucket], appeal_id=OuterRef("pk"))
    if department_id:
        qs = qs.filter(department_id=department_id)
    return Exists(qs)
