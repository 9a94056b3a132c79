"""The ways figures are cut (DESIGN §3): department, category, county, source, dialogue session
and month. Each grouping says how to read its key from each row set — appeals, routings and the
roll-up — how to name a key, and which appeal-list parameters select its group."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import AppealCategory, DialogueSession, Source
from enterprises.selectors.stats.definitions import StatsFilters, county_key
from portal.figures import labels, month_key, month_start
from portal.models import Department, Region


def _same(raw):
    return raw


@dataclass(frozen=True)
class Grouping:
    """One way of cutting the figures: the key expression on each row set, and how a raw key
    becomes the API's ``key`` and ``label`` and the appeal list's filter parameters."""

    name: str
    title: str
    # An appeal's key, its fields reached through a prefix ("" or "appeal__" from a routing).
    key: Callable[[str], object]
    rollup_key: Callable[[], object]
    # {raw key: (key, label)} for the raw keys found; at most one query.
    resolve: Callable[[Iterable], dict]
    # (key, filters, per assignment?) -> list parameters that select the group.
    link: Callable[[object, StatsFilters, bool], dict]
    # A routing's own key where it is not its appeal's (department: the department routed to).
    routing_key: Callable[[], object] | None = None
    # The same group read from different row sets as one raw key (months: a date).
    normalize: Callable[[object], object] = _same
    sort_by_key: bool = False

    def appeal_key(self):
        return self.key("")

    def assignment_key(self):
        return self.routing_key() if self.routing_key else self.key("appeal__")

    def routed_appeal_key(self):
        """A routing's appeal's key: where the appeal itself is counted."""
        return self.key("appeal__")


GROUPINGS: dict[str, Grouping] = {}


def register(grouping: Grouping) -> Grouping:
    GROUPINGS[grouping.name] = grouping
    return grouping


def _department_link(key, filters, per_assignment):
    if per_assignment:
        # No routing goes to "no department": that row's routing figures are all 0.
        return {"assigned_to": key} if key is not None else None
    return {"department": key if key is not None else "null"}


def _resolve_departments(raw):
    return labels(Department, raw, none=gettext("Not routed yet"))


def _resolve_categories(raw):
    return labels(AppealCategory, raw)


def _resolve_counties(raw):
    return labels(Region, raw, none=gettext("No county recorded"))


def _county_link(key, filters, per_assignment):
    return {"county": key if key is not None else "null"}


def _resolve_sources(raw):
    return {k: (k, str(Source(k).label)) for k in raw}


def _resolve_sessions(raw):
    ids = [k for k in raw if k is not None]
    names = {
        pk: gettext("Session %(number)d: %(theme)s") % {"number": number, "theme": theme}
        for pk, number, theme in DialogueSession.objects.filter(pk__in=ids).values_list(
            "pk", "number", "theme"
        )
    }
    return {
        k: (k, names.get(k, "") if k is not None else gettext("Not raised at a dialogue session"))
        for k in raw
    }


def _session_link(key, filters, per_assignment):
    return {"session": key if key is not None else "null"}


def _month_link(key, filters, per_assignment):
    year, month = (int(part) for part in key.split("-"))
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if filters.date_from and filters.date_from > first:
        first = filters.date_from
    if filters.date_to and filters.date_to < last:
        last = filters.date_to
    return {"accepted_from": first.isoformat(), "accepted_to": last.isoformat()}


register(
    Grouping(
        "department",
        _("Department"),
        key=lambda prefix: F(f"{prefix}lead_department_id"),
        routing_key=lambda: F("department_id"),
        rollup_key=lambda: F("department_id"),
        resolve=_resolve_departments,
        link=_department_link,
    )
)
register(
    Grouping(
        "category",
        _("Category"),
        key=lambda prefix: F(f"{prefix}category_id"),
        rollup_key=lambda: F("category_id"),
        resolve=_resolve_categories,
        link=lambda key, filters, per_assignment: {"category": key},
    )
)
register(
    Grouping(
        "county",
        _("County"),
        key=county_key,
        rollup_key=lambda: F("county_id"),
        resolve=_resolve_counties,
        link=_county_link,
    )
)
register(
    Grouping(
        "source",
        _("Source"),
        key=lambda prefix: F(f"{prefix}source"),
        rollup_key=lambda: F("source"),
        resolve=_resolve_sources,
        link=lambda key, filters, per_assignment: {"source": key},
    )
)
register(
    Grouping(
        "session",
        _("Dialogue session"),
        key=lambda prefix: F(f"{prefix}session_id"),
        rollup_key=lambda: F("session_id"),
        resolve=_resolve_sessions,
        link=_session_link,
        sort_by_key=True,
    )
)
register(
    Grouping(
        "month",
        _("Month"),
        key=lambda prefix: TruncMonth(f"{prefix}accepted_at"),
        rollup_key=lambda: TruncMonth("day"),
        resolve=lambda raw: {k: (month_key(k), month_key(k)) for k in raw},
        link=_month_link,
        normalize=month_start,
        sort_by_key=True,
    )
)
