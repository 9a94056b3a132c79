"""Reads of the supervision visits: the scoped list, one visit, the counties without a visit
in an ISO week, the leaders' ties, overdue follow-up items."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from grassroots.models import VISIT_READERS, VISIT_RECORDERS, FollowUp, LeaderTie, Unit, Visit
from grassroots.selectors.units import counties
from portal.models import Region, Role, User


def can_see_visits(user: User) -> bool:
    return user.has_role(*VISIT_READERS)


def can_record_visits(user: User) -> bool:
    return user.has_role(*VISIT_RECORDERS)


@dataclass(frozen=True)
class VisitFilters:
    county: Region | None = None
    start: date | None = None
    end: date | None = None

    @property
    def any(self) -> bool:
        return bool(self.county or self.start or self.end)


def visits_for(user: User, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    """The visits ``user`` sees, newest first, with units and follow-ups prefetched (a fixed
    number of queries whatever the page's size)."""
    filters = filters or VisitFilters()
    visits = Visit.objects.visible_to(user).select_related("county", "leader")
    if filters.county is not None:
        visits = visits.filter(county=filters.county)
    if filters.start:
        visits = visits.filter(visited_on__gte=filters.start)
    if filters.end:
        visits = visits.filter(visited_on__lte=filters.end)
    return visits.prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("domain", "name")),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner", "closed_by")),
    ).order_by("-visited_on", "-pk")


def visit_for(user: User, pk: int) -> Visit:
    return get_object_or_404(visits_for(user), pk=pk)


def follow_up_for(user: User, pk: int) -> FollowUp:
    """A follow-up item of a visit in ``user``'s scope, else 404."""
    return get_object_or_404(
        FollowUp.objects.select_related("visit", "owner").filter(
            visit__in=Visit.objects.visible_to(user)
        ),
        pk=pk,
    )


def iso_week(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week ``day`` lies in."""
    monday = day - timedelta(days=day.isoweekday() - 1)
    return monday, monday + timedelta(days=6)


def counties_without_visit(day: date | None = None) -> list[Region]:
    """Quzhou's counties that no leader visited in the ISO week of ``day`` (today)."""
    monday, sunday = iso_week(day or timezone.localdate())
    visited = Visit.objects.filter(visited_on__range=(monday, sunday)).values("county_id")
    return list(counties().exclude(pk__in=visited))


def current_tie(leader: User) -> LeaderTie | None:
    return LeaderTie.objects.current().filter(leader=leader).select_related("county").first()


def ties() -> QuerySet[LeaderTie]:
    return LeaderTie.objects.select_related("leader", "county").order_by(
        "ends_on", "county__code", "-starts_on", "pk"
    )


def leaders() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.LEADER).order_by("username")


def follow_up_owners() -> QuerySet[User]:
    """Whom a follow-up item may be given to: active staff who work with the units."""
    roles = (Role.LEADER, Role.DISPATCHER, Role.COUNTY_STAFF, Role.UNIT_LEAD)
    return User.objects.filter(is_active=True, role__in=roles).order_by("role", "username")


def home_context(user: User) -> dict:
    """The home panel: counties without a visit this week, the leader's own county first."""
    today = timezone.localdate()
    monday, sunday = iso_week(today)
    tie = current_tie(user) if user.has_role(Role.LEADER) else None
    missing = counties_without_visit(today)
    if tie is not None:
        missing.sort(key=lambda county: county.pk != tie.county_id)
    overdue = (
        FollowUp.objects.filter(closed_at__isnull=True, due_on__lt=today)
        .filter(visit__in=Visit.objects.visible_to(user))
        .count()
    )
    return {
        "grassroots_visits_home": {
            "today": today,
            "monday": monday,
            "sunday": sunday,
            "missing": missing,
            "tie": tie,
            "overdue": overdue,
            "can_record": can_record_visits(user),
        }
    }
