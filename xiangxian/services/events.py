"""Writes of events (会务): the event, its programme and the itineraries' changes; invitations,
answers and check-in are in ``invitations``, the reminders in ``event_reminders``.

Every staff write is audited in its own transaction. What changes for an invitee is recorded as
an ``ItineraryChange`` and shown on their private itinerary; they are told once per change (a
key) — through the portal's notifications when they have an account, by a text to their mobile
otherwise (``telling``).

Answers to one event are taken one at a time (the event row is locked), so capacity is never
exceeded and a freed place goes to exactly one person, the first on the waitlist.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record
from portal.services.notifications import notify_many
from portal.validators import clean_text
from xiangxian.models import (
    Event,
    EventKind,
    Invitation,
    InvitationStatus,
    ItineraryChange,
    ProgrammeItem,
    ReminderWhich,
)
from xiangxian.services.telling import ADDRESSABLE, COLUMNS, invitees, messages_to

KIND_INVITED = "xiangxian.invited"
KIND_PROMOTED = "xiangxian.promoted"
KIND_CHANGED = "xiangxian.changed"
KIND_REMINDER = "xiangxian.reminder"

EVENT_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "capacity",
    "organiser",
    "description",
)
ITEM_FIELDS = ("starts_at", "ends_at", "place", "what")
ITINERARY_FIELDS = ("hotel", "transport", "seat")
# When each reminder is due, before the start; the day-before one is pointless once the
# two-hours one is due.
REMINDER_LEAD = {
    ReminderWhich.DAY_BEFORE: dt.timedelta(hours=24),
    ReminderWhich.TWO_HOURS: dt.timedelta(hours=2),
}


@functools.lru_cache(maxsize=1)
def _private_prefix() -> str:
    return reverse("xiangxian:invitation", kwargs={"token": "x"}).removesuffix("x/")


def private_link(token: str) -> str:
    """The path of an invitation's private page (answer and itinerary)."""
    return f"{_private_prefix()}{token}/"


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- the event --------------------------------------------------------------------------------


def _check_order(cleaned: dict, errors: dict) -> None:
    if cleaned["ends_at"] < cleaned["starts_at"]:
        errors["ends_at"] = [_("The end cannot come before the start.")]


def _clean_event(data: Mapping) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "title": clean_text(
            data.get("title"),
            field="title",
            max_length=200,
            required=_("Give the event a title."),
            errors=errors,
        ),
        "venue": clean_text(
            data.get("venue"),
            field="venue",
            max_length=200,
            required=_("Say where the event takes place."),
            errors=errors,
        ),
        "organiser": clean_text(
            data.get("organiser"), field="organiser", max_length=100, errors=errors
        ),
        "description": clean_text(
            data.get("description"), field="description", max_length=5000, errors=errors
        ),
    }
    kind = data.get("kind") or ""
    if kind not in EventKind.values:
        errors["kind"] = [_("Choose one of the listed kinds of event.")]
    cleaned["kind"] = kind
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        if not isinstance(value, dt.datetime):
            errors[name] = [_("Enter a date and time.")]
        cleaned[name] = value
    if "starts_at" not in errors and "ends_at" not in errors:
        _check_order(cleaned, errors)
    capacity = data.get("capacity")
    try:
        cleaned["capacity"] = int(capacity)
    except (TypeError, ValueError):
        cleaned["capacity"] = None
    if cleaned["capacity"] is None or not 1 <= cleaned["capacity"] <= 100_000:
        errors["capacity"] = [_("Enter how many people can take part (at least one).")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def event_create(*, actor: User, data: Mapping) -> Event:
    """Create an event from checked fields; raises ``ValidationError`` keyed by field."""
    cleaned = _clean_event(data)
    with transaction.atomic():
        event = Event.objects.create(**cleaned, created_by=actor)
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            target=event,
            fields=[k for k, v in cleaned.items() if v not in ("", None)],
        )
    return event


def event_update(*, event: Event | int, actor: User, data: Mapping, version: int) -> Event:
    """Change an event from a form based on ``version``; a colleague's change saved since is
    never overwritten (``Conflict``). A larger capacity admits people from the waitlist."""
    cleaned = _clean_event(data)
    pk = event.pk if isinstance(event, Event) else event
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=pk)
        if locked.version != version:
            raise Conflict(
                _(
                    "Someone changed this event after you opened it. Reload it and apply your "
                    "change again."
                )
            )
        changed = [name for name in EVENT_FIELDS if getattr(locked, name) != cleaned[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, cleaned[name])
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
        if "capacity" in changed:
            # More places: the waitlist moves up (invitations build on events, so imported here).
            from xiangxian.services.invitations import waitlist_promote

            waitlist_promote(locked)
    return locked


# --- the programme ----------------------------------------------------------------------------


def _clean_item(event: Event, data: Mapping) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "place": clean_text(
            data.get("place"),
            field="place",
            max_length=200,
            required=_("Say where it takes place."),
            errors=errors,
        ),
        "what": clean_text(
            data.get("what"),
            field="what",
            max_length=200,
            required=_("Say what takes place."),
            errors=errors,
        ),
    }
    for name in ("starts_at", "ends_at"):
        value = data.get(name)
        if not isinstance(value, dt.datetime):
            errors[name] = [_("Enter a date and time.")]
        cleaned[name] = value
    if "starts_at" not in errors and "ends_at" not in errors:
        _check_order(cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _audience(event: Event, audience: Iterable[int | Invitation] | None) -> list[int] | None:
    if audience is None:
        return None
    ids = {a.pk if isinstance(a, Invitation) else int(a) for a in audience}
    found = set(Invitation.objects.filter(event=event, pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ValidationError({"audience": [_("Choose invitations of this event only.")]})
    return sorted(found)


def programme_item_add(
    *, event: Event, actor: User, data: Mapping, audience: Iterable[int] = ()
) -> ProgrammeItem:
    """Add an item to the programme, for everyone or for the invitations in ``audience``."""
    cleaned = _clean_item(event, data)
    audience_ids = _audience(event, audience) or []
    with transaction.atomic():
        item = ProgrammeItem.objects.create(event=event, **cleaned)
        if audience_ids:
            item.audience.set(audience_ids)
        audit_record(actor=actor, action=AuditLog.Action.CREATE, target=item, fields=list(cleaned))
    return item


def programme_item_update(
    *,
    item: ProgrammeItem | int,
    actor: User,
    data: Mapping,
    version: int,
    audience: Iterable[int] | None = None,
) -> ItineraryChange | None:
    """Change a programme item. The change is recorded for the itineraries it concerns, and
    each accepted invitee it concerns who has an account is told once (per change). Returns
    the change recorded, or ``None`` when nothing changed."""
    pk = item.pk if isinstance(item, ProgrammeItem) else item
    with transaction.atomic():
        locked = ProgrammeItem.objects.select_for_update().select_related("event").get(pk=pk)
        if locked.version != version:
            raise Conflict(
                _(
                    "Someone changed this item after you opened it. Reload it and apply your "
                    "change again."
                )
            )
        cleaned = _clean_item(locked.event, data)
        audience_ids = _audience(locked.event, audience)
        changed = [name for name in ITEM_FIELDS if getattr(locked, name) != cleaned[name]]
        before = {name: _as_text(getattr(locked, name)) for name in changed}
        if audience_ids is not None:
            old = sorted(locked.audience.values_list("pk", flat=True))
            if old != audience_ids:
                changed.append("audience")
                locked.audience.set(audience_ids)
        if not changed:
            return None
        for name in ITEM_FIELDS:
            setattr(locked, name, cleaned[name])
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db()
        change = ItineraryChange.objects.create(
            event=locked.event, item=locked, fields=changed, before=before, changed_by=actor
        )
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
        _tell_change(change, concerned_invitations(locked), what=locked.what)
    return change


def _as_text(value) -> str:
    if isinstance(value, dt.datetime):
        return _when(value)
    return str(value)


def concerned_invitations(item: ProgrammeItem):
    """The accepted invitations an item concerns: its audience, or everyone accepted."""
    accepted = Invitation.objects.filter(event_id=item.event_id, status=InvitationStatus.ACCEPTED)
    if item.audience.exists():
        return accepted.filter(programme_items=item)
    return accepted


def _tell_change(change: ItineraryChange, invitations, *, what: str) -> int:
    """Tell each of ``invitations`` (accepted ones) of the change, once. Returns how many were
    told."""
    reached = invitees(invitations.filter(ADDRESSABLE).values_list(*COLUMNS))
    title = _("Your programme changed: %(what)s") % {"what": what}
    messages = messages_to(
        reached,
        lambda invitee: {
            "kind": KIND_CHANGED,
            "title": title,
            "body": _("Open your itinerary to see what changed."),
            "url": private_link(invitee.token),
            "key": f"xiangxian.changed:{change.pk}:{invitee.invitation}",
        },
    )
    notify_many(messages)
    return len(messages)


def invitation_itinerary_update(
    *, invitation: Invitation | int, actor: User, hotel: str, transport: str, seat: str
) -> ItineraryChange | None:
    """Set one invitee's hotel, transport and seat; a change is recorded for their itinerary
    and told to them once."""
    errors: dict[str, list[str]] = {}
    values = {
        "hotel": clean_text(hotel, field="hotel", max_length=200, errors=errors),
        "transport": clean_text(transport, field="transport", max_length=200, errors=errors),
        "seat": clean_text(seat, field="seat", max_length=50, errors=errors),
    }
    if errors:
        raise ValidationError(errors)
    pk = invitation.pk if isinstance(invitation, Invitation) else invitation
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=pk)
        changed = [name for name in ITINERARY_FIELDS if getattr(locked, name) != values[name]]
        if not changed:
            return None
        before = {name: getattr(locked, name) for name in changed}
        for name in changed:
            setattr(locked, name, values[name])
        locked.save(update_fields=changed)
        change = ItineraryChange.objects.create(
            event_id=locked.event_id,
            invitation=locked,
            fields=changed,
            before=before,
            changed_by=actor,
        )
        audit_record(actor=actor, action=AuditLog.Action.UPDATE, target=locked, fields=changed)
        if locked.status == InvitationStatus.ACCEPTED:
            _tell_change(
                change, Invitation.objects.filter(pk=locked.pk), what=_("hotel, transport, seat")
            )
    return change
