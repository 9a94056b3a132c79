"""The enterprises' section of the cockpit and the yearly report (``portal.registry``): appeals,
dialogue sessions and light-up days for a period and a county, each figure linked to the list
behind it with the same filters.

Appeal figures come from ``stats_by`` cut by month (the daily roll-up), once for every period
asked; sessions and light-up days are one conditional aggregate each over all the periods.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Appeal, Celebration, DialogueSession, SessionInvitation, Source
from enterprises.models.celebrations import CelebrationStatus
from enterprises.models.sessions import HELD_STATUSES
from enterprises.selectors.stats import (
    RATES,
    StatsFilters,
    appeal_stats,
    counted_q,
    county_q,
    list_params,
    period_q,
    stats_by,
)
from portal.figures import month_key
from portal.models import Role
from portal.registry import Figure

OFFICE = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)

DEFINITIONS = {
    "appeals.accepted": _(
        "Appeals accepted in the period (by the day of acceptance), merged repeats left out."
    ),
    "appeals.closed": _("Of those, the appeals closed."),
    "appeals.closure_rate": _("Closed ÷ accepted, in per cent."),
    "appeals.on_time_rate": _("Closed on or before the deadline in force ÷ closed, in per cent."),
    "appeals.satisfaction_rate": _(
        "Latest rating satisfied or basically satisfied ÷ rated, in per cent."
    ),
    "appeals.overdue_open": _(
        "Appeals accepted in the period, not yet replied and past their deadline today."
    ),
    "sessions.held": _("Dialogue sessions held in the period (city-wide)."),
    "sessions.invited": _("Entrepreneurs invited to those sessions, each counted once."),
    "sessions.needs_closed": _(
        "Appeals raised at dialogue sessions, accepted in the period and closed."
    ),
    "celebrations.days": _("Approved light-up days of enterprises starting in the period."),
}


def _link(name: str, params: dict) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _percent(value: float | None) -> float | None:
    return round(100 * value, 1) if value is not None else None


def _month_aligned(period) -> bool:
    return period.start.day == 1 and (period.end + timezone.timedelta(days=1)).day == 1


def _appeal_rows(user, periods, county) -> list:
    """The total row of the appeal figures for each period: one ``stats_by`` cut by month over
    all of them when every period is made of whole months, else one per period."""
    if all(_month_aligned(p) for p in periods):
        first, last = min(p.start for p in periods), max(p.end for p in periods)
        filters = StatsFilters(date_from=first, date_to=last, county=county)
        months = stats_by(user, filters, ("month",))["month"].rows
        result = []
        for period in periods:
            keys = set()
            day = period.start
            while day <= period.end:
                keys.add(month_key(day))
                day = (day.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
            counts: dict[str, int] = {}
            for row in months:
                if row.key in keys:
                    for name, value in row.counts.items():
                        counts[name] = counts.get(name, 0) + value
            result.append(counts)
        return result
    return [
        appeal_stats(
            user, StatsFilters(date_from=p.start, date_to=p.end, county=county)
        ).total.counts
        for p in periods
    ]


def _rate(counts: dict, name: str) -> float | None:
    numerator, denominator = RATES[name]
    whole = counts.get(denominator, 0)
    return _percent(counts.get(numerator, 0) / whole) if whole else None


def _appeal_figures(user, period, county, counts: dict) -> list[Figure]:
    filters = StatsFilters(date_from=period.start, date_to=period.end, county=county)

    def url(figure: str, **extra) -> str:
        return _link("appeals:list", {**list_params(user, filters, figure), **extra})

    return [
        Figure(
            "appeals.accepted",
            _("Appeals accepted"),
            counts.get("accepted", 0),
            "",
            url("accepted"),
        ),
        Figure("appeals.closed", _("Appeals closed"), counts.get("closed", 0), "", url("closed")),
        Figure(
            "appeals.closure_rate",
            _("Closure rate"),
            _rate(counts, "closure_rate"),
            "%",
            url("closed"),
        ),
        Figure(
            "appeals.on_time_rate",
            _("On-time closure rate"),
            _rate(counts, "on_time_rate"),
            "%",
            url("closed_on_time"),
        ),
        Figure(
            "appeals.satisfaction_rate",
            _("Satisfaction rate"),
            _rate(counts, "satisfaction_rate"),
            "%",
            url("satisfied"),
        ),
        Figure(
            "appeals.overdue_open",
            _("Overdue now"),
            counts.get("overdue_open", 0),
            "",
            url("overdue_open"),
            now=True,
        ),
    ]


def _in(field: str, period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _session_counts(periods) -> list[dict]:
    """Sessions held and entrepreneurs invited per period: two queries for all periods."""
    held = DialogueSession.objects.filter(status__in=HELD_STATUSES).order_by()
    sessions = held.aggregate(
        **{f"p{n}": Count("pk", filter=_in("held_on", p)) for n, p in enumerate(periods)}
    )
    invited = (
        SessionInvitation.objects.filter(session__in=held)
        .order_by()
        .aggregate(
            **{
                f"p{n}": Count("user_id", distinct=True, filter=_in("session__held_on", p))
                for n, p in enumerate(periods)
            }
        )
    )
    return [{"held": sessions[f"p{n}"], "invited": invited[f"p{n}"]} for n in range(len(periods))]


def _session_needs(user, periods, county) -> list[int]:
    """Appeals raised at sessions (source ``session``), accepted in each period and closed."""
    appeals = Appeal.objects.visible_to(user).filter(
        counted_q(), source=Source.SESSION, status="closed"
    )
    if county is not None:
        appeals = appeals.filter(county_q(county))
    sums = appeals.order_by().aggregate(
        **{f"p{n}": Count("pk", filter=period_q(p.start, p.end)) for n, p in enumerate(periods)}
    )
    return [sums[f"p{n}"] for n in range(len(periods))]


def _light_ups(user, periods, county) -> list[int]:
    rows = Celebration.objects.visible_to(user).filter(status=CelebrationStatus.APPROVED)
    if county is not None:
        rows = rows.filter(county_q(county))
    sums = rows.order_by().aggregate(
        **{f"p{n}": Count("pk", filter=_in("starts_on", p)) for n, p in enumerate(periods)}
    )
    return [sums[f"p{n}"] for n in range(len(periods))]


def cockpit_history(user, periods, county) -> list[list[Figure]]:
    """The section's figures for each of ``periods`` in ``county`` (``None``: the city), as far
    as ``user`` sees appeals: the office the city's, county staff their county's."""
    if not user.has_role(*OFFICE, Role.COUNTY_STAFF):
        return [[] for _period in periods]
    appeal_rows = _appeal_rows(user, periods, county)
    needs = _session_needs(user, periods, county)
    light_ups = _light_ups(user, periods, county)
    # Sessions are the city's: not cut by county, and shown to the office only.
    sessions = _session_counts(periods) if county is None and user.has_role(*OFFICE) else None
    result = []
    for n, period in enumerate(periods):
        figures = _appeal_figures(user, period, county, appeal_rows[n])
        day_range = {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if sessions is not None:
            held_url = _link("enterprises:session-list", {**day_range, "held": "1"})
            figures += [
                Figure(
                    "sessions.held", _("Dialogue sessions held"), sessions[n]["held"], "", held_url
                ),
                Figure(
                    "sessions.invited",
                    _("Entrepreneurs invited"),
                    sessions[n]["invited"],
                    "",
                    held_url,
                ),
            ]
        needs_params = {
            "figure": "closed",
            "source": Source.SESSION,
            "accepted_from": period.start.isoformat(),
            "accepted_to": period.end.isoformat(),
        }
        if county is not None:
            needs_params["county"] = str(county.pk)
        figures.append(
            Figure(
                "sessions.needs_closed",
                _("Session needs closed"),
                needs[n],
                "",
                _link("appeals:list", needs_params),
            )
        )
        light_params = {**day_range, "status": CelebrationStatus.APPROVED}
        if county is not None:
            light_params["county"] = county.code
        figures.append(
            Figure(
                "celebrations.days",
                _("Light-up days"),
                light_ups[n],
                "",
                _link("enterprises:celebration-list", light_params),
            )
        )
        result.append(figures)
    return result
