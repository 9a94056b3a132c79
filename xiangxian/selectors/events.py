"""Reads of events (会务): the list with counts, invitations, the programme and an
invitee's itinerary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.models import User
from xiangxian.models import Event, Invitation, InvitationStatus, ItineraryChange, ProgrammeItem


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
