"""The leaders' cockpit (同心驾驶舱): every registered section of figures for one period and
scope, each figure with the same period last year and each section with a short trend.

It reads the sections through ``portal.registry`` only (no domain app is imported): one
``history`` call per section gives the period, the periods before it and the same period last
year together, so the queries stay fixed whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal import registry
from portal.models import Region, Role, User
from portal.periods import Period

TREND_PERIODS = 5
OFFICE_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)


def can_view_cockpit(user: User) -> bool:
    """The office (dispatcher, leader, admin) for the city, county staff for their county."""
    return user.is_authenticated and user.has_role(*OFFICE_ROLES, Role.COUNTY_STAFF)


def chooses_county(user: User) -> bool:
    """Whether ``user`` may look at any county, or the whole city."""
    return user.is_superuser or user.has_role(*OFFICE_ROLES)


def counties() -> list[Region]:
    """The counties of the city, for the office's selector."""
    return list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))


def resolve_county(user: User, raw: str | None) -> Region | None:
    """The county the figures are for. The office: the one asked for (a 12- or 6-digit code),
    or ``None`` (the city). County staff: their own county — asked for another, 403.
    Raises ``PermissionDenied`` for a user who may not see the cockpit, ``LookupError`` for a
    code that names no county."""
    if not can_view_cockpit(user):
        raise PermissionDenied
    raw = (raw or "").strip()
    county = None
    if raw:
        code = raw.ljust(12, "0") if len(raw) == 6 else raw
        county = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
        if county is None:
            raise LookupError(_("“%(code)s” is not the code of a county.") % {"code": raw})
    if chooses_county(user):
        return county
    own = user.region_ids(Role.COUNTY_STAFF)
    if county is None:
        return Region.objects.filter(pk__in=own).order_by("code").first()
    if county.pk not in own:
        raise PermissionDenied(_("You can see the figures of your own county only."))
    return county


@dataclass
class CockpitFigure:
    figure: registry.Figure
    previous: int | float | None = None
    change: int | float | None = None

    @property
    def direction(self) -> str:
        """``up``, ``down``, ``flat`` or ``""`` (nothing to compare)."""
        if self.change is None:
            return ""
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"

    def as_dict(self) -> dict:
        return {
            **self.figure.as_dict(),
            "previous": self.previous,
            "change": self.change,
            "direction": self.direction,
        }


@dataclass
class CockpitSection:
    app: str
    label: str
    figures: list[CockpitFigure]
    trend_label: str = ""
    trend: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "app": self.app,
            "label": self.label,
            "figures": [f.as_dict() for f in self.figures],
            "trend": {"key": self.figures[0].figure.key, "points": self.trend},
        }


def _change(now, before):
    if not isinstance(now, int | float) or not isinstance(before, int | float):
        return None
    return round(now - before, 4)


def cockpit(user: User, period: Period, county: Region | None) -> list[CockpitSection]:
    """The sections ``user`` sees for ``period`` in ``county`` (``None``: the city)."""
    trend_periods = period.preceding(TREND_PERIODS)
    last_year = period.last_year()
    periods = list(trend_periods)
    if last_year not in periods:
        periods.append(last_year)
    result = []
    for section in registry.sections():
        rows = section.figures_over(user, periods, county)
        by_period = dict(zip(periods, rows, strict=True))
        current = by_period[period]
        if not current:
            continue
        before = {f.key: f.value for f in by_period[last_year]}
        figures = []
        for item in current:
            previous = None if item.now else before.get(item.key)
            figures.append(CockpitFigure(item, previous, _change(item.value, previous)))
        first = current[0].key
        trend = []
        for p in trend_periods:
            value = next((f.value for f in by_period[p] if f.key == first), None)
            trend.append({"period": p.label, "value": value})
        result.append(
            CockpitSection(
                app=section.app,
                label=str(section.label),
                figures=figures,
                trend_label=str(current[0].label),
                trend=trend,
            )
        )
    return result
