"""The alliances' section of the cockpit and the yearly report (``portal.registry``): alliances
in force and the ethnic villages they cover at the end of each period, in one aggregate over
the memberships for every period asked."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Membership
from alliances.selectors import can_see
from portal.models import Region
from portal.regions import QUZHOU_CODE, significant_prefix, within_q
from portal.registry import Figure

DEFINITIONS = {
    "alliances.alliances": _(
        "Alliances with at least one member village (in the county) at the end of the period."
    ),
    "alliances.ethnic_villages_covered": _(
        "Ethnic villages of the city (or the county) that are members of an alliance at the end of the period."
    ),
    "alliances.ethnic_coverage": _("Ethnic villages covered ÷ all ethnic villages, in per cent."),
}
CITY = significant_prefix(QUZHOU_CODE)


def in_force(day, prefix: str = "") -> Q:
    """Memberships in force on ``day``."""
    return Q(**{f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def alliances_on(user, day, county: Region | None):
    """The alliances ``user`` sees with a member village in force on ``day`` (in ``county``):
    the list behind the cockpit's figure."""
    members = Membership.objects.filter(in_force(day))
    if county is not None:
        members = members.filter(within_q("region", [county.code]))
    return Alliance.objects.visible_to(user).filter(pk__in=members.values("alliance_id"))


def cockpit_history(user, periods, county) -> list[list[Figure]]:
    if not can_see(user):
        return [[] for _period in periods]
    today = timezone.localdate()
    cuts = [p.cut_at(today) for p in periods]
    members = Membership.objects.filter(alliance__in=Alliance.objects.visible_to(user)).order_by()
    ethnic = Region.objects.filter(
        code__startswith=CITY, is_ethnic=True, level=Region.Level.VILLAGE
    )
    if county is not None:
        members = members.filter(within_q("region", [county.code]))
        ethnic = ethnic.filter(code__startswith=significant_prefix(county.code))
    ethnic_here = Q(region__code__startswith=CITY, region__is_ethnic=True)
    sums = members.aggregate(
        **{
            f"a{i}": Count("alliance", distinct=True, filter=in_force(c))
            for i, c in enumerate(cuts)
        },
        **{
            f"e{i}": Count("region", distinct=True, filter=in_force(c) & ethnic_here)
            for i, c in enumerate(cuts)
        },
    )
    total = ethnic.count()
    result = []
    for i, _period in enumerate(periods):
        params = {"on": cuts[i].isoformat()}
        if county is not None:
            params["county"] = county.code
        url = f"{reverse('alliances:list')}?{urlencode(params)}"
        covered = sums[f"e{i}"]
        result.append(
            [
                Figure(
                    "alliances.alliances", _("Alliances"), sums[f"a{i}"], "", url, cumulative=True
                ),
                Figure(
                    "alliances.ethnic_villages_covered",
                    _("Ethnic villages covered"),
                    covered,
                    "",
                    url,
                    cumulative=True,
                ),
                Figure(
                    "alliances.ethnic_coverage",
                    _("Coverage of ethnic villages"),
                    round(100 * covered / total, 1) if total else None,
                    "%",
                    url,
                    cumulative=True,
                ),
            ]
        )
    return result
