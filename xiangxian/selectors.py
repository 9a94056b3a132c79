"""Reads of the registry: who may do what, the screening (乡贤通), one person, their record."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import Region, Role, User
from portal.regions import significant_prefix
from portal.tags import tags_by_object, with_tags
from xiangxian.models import (
    Event,
    Invitation,
    InvitationStatus,
    ItineraryChange,
    ProgrammeItem,
    SavedSearch,
    Sector,
    Xiangxian,
    XiangxianMerge,
)
from xiangxian.models.people import REGISTRY_ROLES
from xiangxian.services import duplicates_of

# Who enters and changes records; leaders read only.
EDITOR_ROLES = (Role.DISPATCHER, Role.ADMIN)
# Who is shown phone and ID numbers in full (each time audited).
NUMBER_ROLES = (Role.DISPATCHER, Role.ADMIN)


def can_see_registry(user: User) -> bool:
    """Lists answer 403 to everyone else (objects 404, through ``visible_to``)."""
    return user.is_authenticated and (user.is_superuser or user.role in REGISTRY_ROLES)


def can_edit(user: User) -> bool:
    return user.has_role(*EDITOR_ROLES)


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
