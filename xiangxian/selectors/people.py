"""Reads of the registry: who may do what, the screening (乡贤通), one person and their
record, saved searches and the home panel's figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Region, Role, User
from portal.regions import significant_prefix
from portal.tags import tags_by_object, with_tags
from xiangxian.models import (
    AssociationMembership,
    AssociationOfficer,
    Contribution,
    Event,
    SavedSearch,
    Sector,
    ServiceRecord,
    Xiangxian,
    XiangxianMerge,
)
from xiangxian.models.people import REGISTRY_ROLES
from xiangxian.services import duplicates_of

# Who enters and changes records (county staff: their county's people); leaders read only.
EDITOR_ROLES = (Role.DISPATCHER, Role.ADMIN, Role.COUNTY_STAFF)
# Who is shown phone and ID numbers in full (each time audited).
NUMBER_ROLES = (Role.DISPATCHER, Role.ADMIN)


def can_see_registry(user: User) -> bool:
    """Lists answer 403 to everyone else (objects 404, through ``visible_to``)."""
    return user.has_role(*REGISTRY_ROLES)


def can_edit(user: User) -> bool:
    return user.has_role(*EDITOR_ROLES)


def can_edit_city_records(user: User) -> bool:
    """What the city's office keeps — associations, events: county staff read them."""
    return user.has_role(*NUMBER_ROLES)


def can_see_numbers(user: User) -> bool:
    return user.has_role(*NUMBER_ROLES)


@dataclass(frozen=True)
class Screening:
    """One screening: every criterion optional, all of them together (tags: every one)."""

    sector: Sector | None = None
    tags: tuple[int, ...] = field(default_factory=tuple)
    hometown: Region | None = None
    away: bool | None = None
    key: bool | None = None
    q: str = ""

    @property
    def any(self) -> bool:
        return any((self.sector, self.tags, self.hometown, self.away is not None, self.key, self.q))


def screen(user: User, screening: Screening) -> QuerySet[Xiangxian]:
    """The people in ``user``'s scope matching ``screening``, by name; a hometown matches every
    region within it (a county finds its townships' and villages' people)."""
    people = Xiangxian.objects.visible_to(user)
    if screening.sector is not None:
        people = people.filter(sector=screening.sector)
    if screening.hometown is not None:
        people = people.filter(
            hometown__code__startswith=significant_prefix(screening.hometown.code)
        )
    if screening.away is not None:
        people = people.filter(away=screening.away)
    if screening.key:
        people = people.filter(is_key=True)
    if screening.q:
        text = screening.q
        people = people.filter(
            Q(name__contains=text)
            | Q(organisation__contains=text)
            | Q(title__contains=text)
            | Q(honours__contains=text)
        )
    people = with_tags(people, screening.tags)
    return people.select_related("sector", "hometown").order_by("name", "pk")


def with_tag_lists(people) -> list[Xiangxian]:
    """The people of a page with ``tag_list`` (one query for all of them)."""
    people = list(people)
    tags = tags_by_object(people)
    for person in people:
        person.tag_list = tags.get(person.pk, [])
    return people


def person_for(user: User, pk: int) -> Xiangxian:
    """A current person in ``user``'s scope, else 404 (a merged record leads nowhere)."""
    return get_object_or_404(
        Xiangxian.objects.visible_to(user).select_related("sector", "hometown__parent"), pk=pk
    )


def possible_duplicates(person: Xiangxian) -> list:
    return duplicates_of(
        name=person.name,
        birth_year=person.birth_year,
        hometown=person.hometown_id,
        phone=person.phone,
        id_number=person.id_number,
        exclude=person.pk,
    )


def merges_of(person: Xiangxian) -> QuerySet[XiangxianMerge]:
    """The merges into ``person``, newest first."""
    return XiangxianMerge.objects.filter(target=person).select_related(
        "source", "merged_by", "undone_by"
    )


def saved_searches(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.visible_to(user).select_related("owner")


def home_figures(user: User) -> dict:
    """The registry's block on the home page, in ``user``'s scope: people, living away, key
    people, events still to come; ``scope`` names a county staff member's county."""
    from django.utils import timezone

    counts = (
        Xiangxian.objects.visible_to(user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            away=Count("pk", filter=Q(away=True)),
            key=Count("pk", filter=Q(is_key=True)),
        )
    )
    counties = [] if user.is_city_wide else user.region_codes(Role.COUNTY_STAFF)
    scope = ", ".join(Region.objects.filter(code__in=counties).values_list("name", flat=True))
    upcoming = Event.objects.visible_to(user).filter(starts_at__gte=timezone.now()).count()
    return {**counts, "events_to_come": upcoming, "scope": scope}


@dataclass
class PersonRecords:
    """What a person's page lists besides their record."""

    memberships: list
    services: list
    contributions: list


def records_of(user: User, person: Xiangxian, *, limit: int = 50) -> PersonRecords:
    """A person's associations (each with the person's posts there), their latest services and
    contributions; a fixed number of queries whatever their number."""
    posts = (
        AssociationOfficer.objects.visible_to(user)
        .filter(xiangxian=person)
        .order_by("-term_start", "pk")
    )
    memberships = list(
        AssociationMembership.objects.visible_to(user)
        .filter(xiangxian=person)
        .select_related("association")
        .order_by("association__name", "pk")
    )
    by_association: dict[int, list] = {}
    for officer in posts:
        by_association.setdefault(officer.association_id, []).append(officer)
    for membership in memberships:
        membership.posts = by_association.get(membership.association_id, [])
    return PersonRecords(
        memberships=memberships,
        services=list(
            ServiceRecord.objects.visible_to(user)
            .filter(xiangxian=person)
            .select_related("kind")
            .order_by("-served_on", "-pk")[:limit]
        ),
        contributions=list(
            Contribution.objects.visible_to(user)
            .filter(xiangxian=person)
            .select_related("region")
            .order_by("-made_on", "-pk")[:limit]
        ),
    )


def reference_labels(ids) -> dict[int, str]:
    """Names of the current records among ``ids``, for another app that names a xiangxian by
    id (``portal.registry.register_reference``); a merged-away or unknown id is left out."""
    return dict(Xiangxian.objects.current().filter(pk__in=list(ids)).values_list("pk", "name"))
