"""Reads of the registry: who may do what, the screening (乡贤通), one person, their record,
the services given with their figures, contributions and associations."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from portal.models import Region, Role, User
from portal.regions import significant_prefix
from portal.tags import tags_by_object, with_tags
from xiangxian.models import (
    Association,
    AssociationMembership,
    AssociationOfficer,
    Contribution,
    Event,
    Invitation,
    InvitationStatus,
    ItineraryChange,
    Post,
    ProgrammeItem,
    SavedSearch,
    Sector,
    ServiceKind,
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


# --- services (十项服务) ------------------------------------------------------------------------


def service_records(
    user: User, *, kind: ServiceKind | None = None, year: int | None = None
) -> QuerySet[ServiceRecord]:
    """The service records in ``user``'s scope, newest first, of one kind and year if given."""
    records = ServiceRecord.objects.visible_to(user)
    if kind is not None:
        records = records.filter(kind=kind)
    if year is not None:
        records = records.filter(served_on__year=year)
    return records.select_related("kind", "xiangxian").order_by("-served_on", "-pk")


def service_figures(user: User, year: int | None = None) -> list[dict]:
    """Per service kind, in the catalogue's order: how many services were given in ``year``
    (every year when ``None``) and their value in yuan, counted from the records in ``user``'s
    scope. Every active kind has a row (0 when nothing was given); a retired kind only when it
    has records. ``[{"kind": code, "label": name, "count": int, "value_yuan": Decimal}]``"""
    from decimal import Decimal

    records = service_records(user, year=year).order_by()
    sums = {
        row["kind"]: row
        for row in records.values("kind").annotate(count=Count("pk"), value=Sum("value_yuan"))
    }
    kinds = ServiceKind.objects.filter(Q(is_active=True) | Q(pk__in=list(sums)))
    return [
        {
            "kind": kind.code,
            "label": kind.name,
            "count": sums[kind.pk]["count"] if kind.pk in sums else 0,
            "value_yuan": (sums[kind.pk]["value"] if kind.pk in sums else None) or Decimal(0),
        }
        for kind in kinds.order_by("sort_order", "name")
    ]


def service_years(user: User) -> list[int]:
    """The years with services in ``user``'s scope, newest first."""
    return list(
        ServiceRecord.objects.visible_to(user)
        .annotate(year=ExtractYear("served_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def service_record_for(user: User, pk: int) -> ServiceRecord:
    return get_object_or_404(
        ServiceRecord.objects.visible_to(user).select_related("kind", "xiangxian"), pk=pk
    )


# --- contributions (反哺) ------------------------------------------------------------------------


def contributions(user: User, *, kind: str = "", year: int | None = None) -> QuerySet[Contribution]:
    rows = Contribution.objects.visible_to(user)
    if kind:
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(made_on__year=year)
    return rows.select_related("xiangxian", "region__parent").order_by("-made_on", "-pk")


def contribution_for(user: User, pk: int) -> Contribution:
    return get_object_or_404(
        Contribution.objects.visible_to(user).select_related(
            "xiangxian", "region__parent", "recorded_by"
        ),
        pk=pk,
    )


# --- associations (联谊会) -----------------------------------------------------------------------


def associations(user: User) -> QuerySet[Association]:
    """The associations ``user`` sees with their number of (visible) members."""
    return (
        Association.objects.visible_to(user)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__xiangxian__in=Xiangxian.objects.visible_to(user)),
            )
        )
        .order_by("name", "pk")
    )


def association_for(user: User, pk: int) -> Association:
    return get_object_or_404(Association.objects.visible_to(user), pk=pk)


def association_officers(user: User, association: Association) -> QuerySet[AssociationOfficer]:
    """Officers with their terms: current ones first, then by post and latest term."""
    return (
        AssociationOfficer.objects.visible_to(user)
        .filter(association=association)
        .select_related("xiangxian")
        .annotate(
            rank=Case(
                *(When(post=post, then=Value(n)) for n, post in enumerate(Post.values)),
                output_field=IntegerField(),
            )
        )
        .order_by(F("term_end").desc(nulls_first=True), "rank", "-term_start", "pk")
    )


def association_members(user: User, association: Association) -> QuerySet[AssociationMembership]:
    return (
        AssociationMembership.objects.visible_to(user)
        .filter(association=association)
        .select_related("xiangxian__sector")
        .order_by("joined_on", "pk")
    )


def membership_for(user: User, pk: int) -> AssociationMembership:
    return get_object_or_404(
        AssociationMembership.objects.visible_to(user).select_related("association", "xiangxian"),
        pk=pk,
    )


# --- events (会务) ------------------------------------------------------------------------------


def events_for(user: User) -> QuerySet[Event]:
    """The events in ``user``'s scope, the latest first."""
    return Event.objects.visible_to(user).order_by("-starts_at", "-pk")


def event_for(user: User, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(user), pk=pk)


def _count(status=None, **extra) -> Count:
    condition = Q(**extra)
    if status is not None:
        condition &= Q(invitations__status=status)
    return Count("invitations", filter=condition)


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``invited``, ``accepted``, ``waitlisted`` and ``checked_in``, counted
    by the database in the same query."""
    return events.annotate(
        invited=Count("invitations"),
        accepted=_count(InvitationStatus.ACCEPTED),
        waitlisted=_count(InvitationStatus.WAITLISTED),
        declined=_count(InvitationStatus.DECLINED),
        checked_in=_count(invitations__checked_in_at__isnull=False),
    )


def event_counts(event: Event) -> dict[str, int]:
    """Capacity and the invitations by answer, in one query (conditional aggregation)."""
    counts = Invitation.objects.filter(event=event).aggregate(
        invited=Count("pk"),
        accepted=Count("pk", filter=Q(status=InvitationStatus.ACCEPTED)),
        waitlisted=Count("pk", filter=Q(status=InvitationStatus.WAITLISTED)),
        declined=Count("pk", filter=Q(status=InvitationStatus.DECLINED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return {"capacity": event.capacity, **counts}


def invitations_of(event: Event) -> QuerySet[Invitation]:
    """The event's invitations for the staff's list: registry people by name, then guests."""
    return (
        Invitation.objects.filter(event=event)
        .select_related("xiangxian")
        .order_by("status", "waitlist_position", "pk")
    )


def programme_of(event: Event) -> list[ProgrammeItem]:
    return list(
        ProgrammeItem.objects.filter(event=event).prefetch_related(
            Prefetch("audience", queryset=Invitation.objects.select_related("xiangxian"))
        )
    )


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


@dataclass
class ItineraryItem:
    item: ProgrammeItem
    changes: list[ItineraryChange]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def itinerary_of(invitation: Invitation) -> tuple[list[ItineraryItem], list[ItineraryChange]]:
    """What one invitee sees: the programme items that concern them (for everyone, or naming
    them), each with its changes, and the changes to their own hotel, transport or seat. Only
    this invitation's data: nothing of anyone else."""
    named = ProgrammeItem.audience.through.objects.filter(programmeitem=OuterRef("pk"))
    items = list(
        ProgrammeItem.objects.filter(event_id=invitation.event_id)
        .filter(~Exists(named) | Exists(named.filter(invitation=invitation)))
        .order_by("starts_at", "pk")
    )
    changes = list(
        ItineraryChange.objects.filter(
            Q(item__in=[i.pk for i in items]) | Q(invitation=invitation)
        ).order_by("changed_at", "pk")
    )
    by_item: dict[int, list[ItineraryChange]] = {}
    for change in changes:
        if change.item_id:
            by_item.setdefault(change.item_id, []).append(change)
    own = [change for change in changes if change.invitation_id == invitation.pk]
    return [ItineraryItem(item, by_item.get(item.pk, [])) for item in items], own
