"""Reads of the alliances: who may see and edit, scoped lists, one alliance with its parts, and
the coverage computed from the memberships on a day (item 8 of issue 16).

Coverage rules, in one place:

- a village is a member on a day when it joined on or before it and had not left before it
  (a village leaving on the day still counts that day);
- each region counts once however many alliances it is in;
- a township is reached (and, if it is a 民族乡, covered) when one of its villages is a member
  on the day — memberships are of villages only, so a township is never a member itself;
- ethnic totals are the regions marked ``is_ethnic`` in the home city (``QUZHOU_CODE``): the
  article's "all 49 of the city's ethnic villages"; an ethnic partner village elsewhere is
  reached, not counted in the city's total;
- provinces, cities, counties and townships are the members' ancestors (parent chain).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from alliances.models import (
    EDITOR_ROLES,
    READER_ROLES,
    Activity,
    Alliance,
    AllianceKind,
    Base,
    MakerTeam,
    Membership,
    TourismFigure,
    VillageCompany,
)
from portal.models import Region, User
from portal.regions import QUZHOU_CODE, significant_prefix

COVERAGE_KEYS = (
    "alliances",
    "ethnic_townships",
    "ethnic_townships_covered",
    "ethnic_villages",
    "ethnic_villages_covered",
    "provinces",
    "cities",
    "counties",
    "townships",
    "villages",
)
# A member village's ancestors, nearest first: township, county, city, province.
_UP = ("region__parent", "region__parent__parent", "region__parent__parent__parent")
_PROVINCE = "region__parent__parent__parent__parent"
_CITY_PREFIX = significant_prefix(QUZHOU_CODE)


def can_see(user: User) -> bool:
    """Whether ``user`` reads alliances at all (lists answer 403 otherwise)."""
    return user.is_authenticated and user.has_role(*READER_ROLES)


def can_edit(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*EDITOR_ROLES))


def alliances(user: User) -> QuerySet[Alliance]:
    """The alliances ``user`` sees, with their lead village, kinds and open members counted
    (two queries whatever their number)."""
    return (
        Alliance.objects.visible_to(user)
        .select_related("lead_village")
        .prefetch_related(Prefetch("kinds", queryset=AllianceKind.objects.order_by("kind")))
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
        )
        .order_by("name", "pk")
    )


def alliance_for(user: User, pk) -> Alliance:
    """One alliance ``user`` sees, or 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = alliances(user).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise Http404
    return found


def members(alliance: Alliance) -> QuerySet[Membership]:
    """The alliance's memberships, current first (the lead village first among them), with
    each village's township and county."""
    return (
        Membership.objects.filter(alliance=alliance)
        .select_related("region__parent__parent")
        .order_by(F("left_on").asc(nulls_first=True), "role", "region__code", "joined_on")
    )


def parts(alliance: Alliance) -> dict:
    """Everything an alliance's page shows besides its members (one query per kind)."""
    return {
        "companies": VillageCompany.objects.filter(alliance=alliance).select_related("village"),
        "bases": Base.objects.filter(alliance=alliance).select_related("village"),
        "maker_teams": MakerTeam.objects.filter(alliance=alliance),
        "activities": Activity.objects.filter(alliance=alliance),
        "tourism": TourismFigure.objects.filter(alliance=alliance).order_by("-period"),
    }


def maker_totals(teams) -> dict:
    teams = list(teams)
    return {
        "teams": len(teams),
        "members": sum(t.members_count for t in teams),
        "projects": sum(t.projects_landed for t in teams),
        "jobs": sum(t.jobs_created for t in teams),
        "benefit_yuan": sum((t.benefit_yuan for t in teams), start=0),
    }


# --- coverage ---------------------------------------------------------------------------------


def members_on(user: User, day: dt.date) -> QuerySet[Membership]:
    """The memberships in force on ``day`` of the alliances ``user`` sees."""
    return Membership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day),
        alliance__in=Alliance.objects.visible_to(user),
        joined_on__lte=day,
    )


def _ethnic_in_city() -> QuerySet[Region]:
    return Region.objects.filter(code__startswith=_CITY_PREFIX, is_ethnic=True)


def coverage(user: User, day: dt.date) -> dict[str, int]:
    """The coverage figures of CONTRACT.md on ``day`` over the alliances ``user`` sees; two
    queries, whatever the number of members."""
    in_city = Q(region__code__startswith=_CITY_PREFIX)
    reached = members_on(user, day).aggregate(
        alliances=Count("alliance", distinct=True),
        villages=Count("region", distinct=True),
        townships=Count(_UP[0], distinct=True),
        counties=Count(_UP[1], distinct=True),
        cities=Count(_UP[2], distinct=True),
        provinces=Count(_PROVINCE, distinct=True),
        ethnic_villages_covered=Count(
            "region", distinct=True, filter=in_city & Q(region__is_ethnic=True)
        ),
        ethnic_townships_covered=Count(
            _UP[0], distinct=True, filter=in_city & Q(region__parent__is_ethnic=True)
        ),
    )
    totals = _ethnic_in_city().aggregate(
        ethnic_townships=Count("pk", filter=Q(level=Region.Level.TOWNSHIP)),
        ethnic_villages=Count("pk", filter=Q(level=Region.Level.VILLAGE)),
    )
    figures = {**reached, **totals}
    return {key: figures[key] for key in COVERAGE_KEYS}


@dataclass
class TreeNode:
    """A region in the coverage tree: ``covered`` when it is (or lies above) a member village on
    the day; ``ethnic`` when marked 民族乡/民族村."""

    region: Region
    covered: bool = False
    children: list[TreeNode] = field(default_factory=list)

    @property
    def ethnic(self) -> bool:
        return self.region.is_ethnic

    @property
    def village_count(self) -> int:
        if self.region.level == Region.Level.VILLAGE:
            return int(self.covered)
        return sum(child.village_count for child in self.children)


@dataclass
class CountyFigures:
    county: Region
    alliances: int = 0
    townships: int = 0
    villages: int = 0
    ethnic_townships: int = 0
    ethnic_townships_covered: int = 0
    ethnic_villages: int = 0
    ethnic_villages_covered: int = 0


def coverage_tree(user: User, day: dt.date) -> tuple[list[TreeNode], list[CountyFigures]]:
    """The regions reached on ``day`` (and the city's ethnic ones, reached or not) as a tree
    from province to village, and the figures per county; four queries."""
    chain = ("region_id", *(f"{up}_id" for up in _UP), f"{_PROVINCE}_id")
    member_rows = list(members_on(user, day).values_list("alliance_id", *chain).distinct())
    covered_ids = {pk for row in member_rows for pk in row[1:] if pk is not None}
    ethnic_rows = list(
        _ethnic_in_city().values_list(
            "pk",
            "parent_id",
            "parent__parent_id",
            "parent__parent__parent_id",
            "parent__parent__parent__parent_id",
        )
    )
    ethnic_ids = {pk for row in ethnic_rows for pk in row if pk is not None}
    regions = {
        region.pk: region
        for region in Region.objects.filter(pk__in=covered_ids | ethnic_ids).only(
            "code", "name", "level", "parent_id", "is_ethnic"
        )
    }
    nodes = {pk: TreeNode(region, covered=pk in covered_ids) for pk, region in regions.items()}
    roots = []
    for node in sorted(nodes.values(), key=lambda n: n.region.code):
        parent = nodes.get(node.region.parent_id)
        (parent.children if parent else roots).append(node)

    # Per county: from the same rows, no further query.
    per_county: dict[int, CountyFigures] = {}

    def figures_of(county_id: int | None) -> CountyFigures | None:
        county = regions.get(county_id)
        if county is None or county.level != Region.Level.COUNTY:
            return None
        return per_county.setdefault(county_id, CountyFigures(county))

    sets: dict[int, dict[str, set]] = {}
    for alliance_id, village_id, township_id, county_id, *_rest in member_rows:
        if figures_of(county_id) is None:
            continue
        bucket = sets.setdefault(county_id, {"a": set(), "t": set(), "v": set()})
        bucket["a"].add(alliance_id)
        bucket["t"].add(township_id)
        bucket["v"].add(village_id)
    for county_id, bucket in sets.items():
        row = per_county[county_id]
        row.alliances, row.townships, row.villages = (
            len(bucket["a"]),
            len(bucket["t"]),
            len(bucket["v"]),
        )
    for pk, parent_id, grandparent_id, *_rest in ethnic_rows:
        region = regions[pk]
        if region.level == Region.Level.VILLAGE and (row := figures_of(grandparent_id)):
            row.ethnic_villages += 1
            row.ethnic_villages_covered += pk in covered_ids
        elif region.level == Region.Level.TOWNSHIP and (row := figures_of(parent_id)):
            row.ethnic_townships += 1
            row.ethnic_townships_covered += pk in covered_ids
    counties = sorted(per_county.values(), key=lambda row: row.county.code)
    return roots, counties
