"""Writes of events (会务): the event and its programme, invitations sent in bulk, answers through
the private link with a waitlist, check-in, itinerary changes and the reminders.

Every staff write is audited in its own transaction. An invitee with a portal account
(``Xiangxian.account``) is told through the portal's notifications, each message once (a key);
a guest has no account and the portal has no SMS channel yet: what changes for a guest is
recorded as an ``ItineraryChange`` and shown on their private itinerary.

Answers to one event are taken one at a time (the event row is locked), so capacity is never
exceeded and a freed place goes to exactly one person, the first on the waitlist.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.bulk import insert_rows
from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record
from portal.services.notifications import Message, notify_many
from portal.validators import clean_text, normalize_mobile, validate_mobile
from xiangxian.models import (
    Event,
    EventKind,
    EventReminder,
    Invitation,
    InvitationStatus,
    ItineraryChange,
    ProgrammeItem,
    ReminderWhich,
    Xiangxian,
)

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
            _promote(locked)
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
    rows = list(
        invitations.filter(xiangxian__account__is_active=True).values_list(
            "pk", "token", "xiangxian__account"
        )
    )
    if not rows:
        return 0
    users = User.objects.in_bulk({account for _pk, _token, account in rows})
    title = _("Your programme changed: %(what)s") % {"what": what}
    messages = [
        Message(
            recipients=[users[account]],
            kind=KIND_CHANGED,
            title=title,
            url=private_link(token),
            key=f"xiangxian.changed:{change.pk}:{pk}",
        )
        for pk, token, account in rows
        if account in users
    ]
    return len(notify_many(messages))


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


# --- inviting ---------------------------------------------------------------------------------


@dataclass
class InvitationsSent:
    """What ``invitations_send`` did: the invitations created now, how many people were
    invited already (and not sent anything again), and how many were notified."""

    created: list[Invitation]
    already: int
    notified: int


def _clean_guests(guests: Sequence[Mapping]) -> list[tuple[str, str]]:
    cleaned, problems = [], []
    for number, guest in enumerate(guests, start=1):
        name = (guest.get("name") or "").strip()
        phone = (guest.get("phone") or "").strip()
        if not name or len(name) > 50:
            problems.append(
                _("Guest %(n)d: enter a name of at most 50 characters.") % {"n": number}
            )
            continue
        try:
            validate_mobile(phone)
        except ValidationError:
            problems.append(
                _("Guest %(n)d: enter a valid 11-digit mainland China mobile number.")
                % {"n": number}
            )
            continue
        cleaned.append((name, normalize_mobile(phone)))
    if problems:
        raise ValidationError({"guests": problems})
    return cleaned


def invitations_send(
    *,
    event: Event | int,
    actor: User,
    xiangxian_ids: Iterable[int] = (),
    guests: Sequence[Mapping] = (),
) -> InvitationsSent:
    """Invite people of the registry (by id) and guests (``{"name", "phone"}``) in one go.

    Everyone is invited once: someone invited already is skipped and told nothing again. The
    invitations are written in one statement and each new invitee with an account gets one
    notification; a fixed number of queries whatever the number of people.
    """
    guest_rows = _clean_guests(guests)
    wanted = {int(pk) for pk in xiangxian_ids}
    pk = event.pk if isinstance(event, Event) else event
    phone_field = Invitation._meta.get_field("guest_phone")
    now = timezone.now()
    with transaction.atomic():
        # Two colleagues sending at once are taken one after the other: nobody twice.
        event = Event.objects.select_for_update().get(pk=pk)
        invited = set(
            Invitation.objects.filter(event=event, xiangxian_id__in=wanted).values_list(
                "xiangxian_id", flat=True
            )
        )
        people = dict(
            Xiangxian.objects.current()
            .filter(pk__in=wanted - invited)
            .values_list("pk", "account_id")
        )
        hashes = {phone_field.blind_index_for(phone): (name, phone) for name, phone in guest_rows}
        guests_invited = set(
            Invitation.objects.filter(event=event, guest_phone_hash__in=hashes).values_list(
                "guest_phone_hash", flat=True
            )
        )
        new = [
            Invitation(event=event, xiangxian_id=person, invited_by=actor, invited_at=now)
            for person in sorted(people)
        ]
        new += [
            Invitation(
                event=event, guest_name=name, guest_phone=phone, invited_by=actor, invited_at=now
            )
            for digest, (name, phone) in hashes.items()
            if digest not in guests_invited
        ]
        if not new:
            return InvitationsSent(
                created=[], already=len(invited) + len(guests_invited), notified=0
            )
        Invitation.objects.bulk_create(new)
        users = User.objects.filter(
            pk__in={a for a in people.values() if a is not None}, is_active=True
        ).in_bulk()
        title = _("You are invited: %(title)s") % {"title": event.title}
        body = _("%(when)s at %(venue)s. Open the link to answer.") % {
            "when": _when(event.starts_at),
            "venue": event.venue,
        }
        messages = [
            Message(
                recipients=[users[people[invitation.xiangxian_id]]],
                kind=KIND_INVITED,
                title=title,
                body=body,
                url=private_link(invitation.token),
                target=invitation,
                key=f"xiangxian.invited:{invitation.pk}",
            )
            for invitation in new
            if invitation.xiangxian_id is not None and people[invitation.xiangxian_id] in users
        ]
        notified = len(notify_many(messages)) if messages else 0
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=event,
            fields=["invitations"],
            note=_("invited %(count)d people") % {"count": len(new)},
        )
    return InvitationsSent(
        created=new, already=len(invited) + len(guests_invited), notified=notified
    )


# --- answering, the waitlist, check-in --------------------------------------------------------


def _promote(event: Event) -> list[Invitation]:
    """Fill the event's free places from the waitlist, in order; each one promoted is told.
    The caller holds the event's lock."""
    accepted = Invitation.objects.filter(event=event, status=InvitationStatus.ACCEPTED).count()
    free = event.capacity - accepted
    if free <= 0:
        return []
    promoted = list(
        Invitation.objects.select_for_update(of=("self",))
        .filter(event=event, status=InvitationStatus.WAITLISTED)
        .select_related("xiangxian__account")
        .order_by("waitlist_position")[:free]
    )
    if not promoted:
        return []
    now = timezone.now()
    Invitation.objects.filter(pk__in=[i.pk for i in promoted]).update(
        status=InvitationStatus.ACCEPTED, waitlist_position=None, answered_at=now
    )
    title = _("A place is free for you: %(title)s") % {"title": event.title}
    messages = []
    for invitation in promoted:
        invitation.status, invitation.waitlist_position = InvitationStatus.ACCEPTED, None
        account = invitation.xiangxian.account if invitation.xiangxian_id else None
        if account is not None and account.is_active:
            messages.append(
                Message(
                    recipients=[account],
                    kind=KIND_PROMOTED,
                    title=title,
                    body=_("You were on the waitlist; your place is confirmed."),
                    url=private_link(invitation.token),
                    target=invitation,
                    key=f"xiangxian.promoted:{invitation.pk}:{now:%Y%m%d%H%M%S%f}",
                )
            )
    if messages:
        notify_many(messages)
    return promoted


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("event", "xiangxian").filter(token=token).first()


def invitation_answer(*, token: str, accept: bool) -> Invitation:
    """Answer an invitation through its private link. Accepting when the event is full puts the
    invitee on the waitlist (last place); declining an accepted place gives it to the first on
    the waitlist. Answering the same way twice changes nothing. Raises
    ``Invitation.DoesNotExist`` for an unknown token, ``Conflict`` after check-in or the end."""
    with transaction.atomic():
        found = Invitation.objects.filter(token=token).values_list("pk", "event_id").first()
        if found is None:
            raise Invitation.DoesNotExist
        pk, event_id = found
        event = Event.objects.select_for_update().get(pk=event_id)
        invitation = Invitation.objects.select_for_update().get(pk=pk)
        if event.ends_at < timezone.now():
            raise Conflict(_("This event is over; the answer can no longer change."))
        if invitation.checked_in_at is not None:
            raise Conflict(_("You have checked in already; the answer can no longer change."))
        status = invitation.status
        if accept:
            if status in (InvitationStatus.ACCEPTED, InvitationStatus.WAITLISTED):
                return invitation
            accepted = Invitation.objects.filter(
                event=event, status=InvitationStatus.ACCEPTED
            ).count()
            if accepted < event.capacity:
                invitation.status, invitation.waitlist_position = InvitationStatus.ACCEPTED, None
            else:
                last = Invitation.objects.filter(event=event).aggregate(
                    last=Max("waitlist_position")
                )["last"]
                invitation.status = InvitationStatus.WAITLISTED
                invitation.waitlist_position = (last or 0) + 1
        else:
            if status == InvitationStatus.DECLINED:
                return invitation
            invitation.status, invitation.waitlist_position = InvitationStatus.DECLINED, None
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "waitlist_position", "answered_at"])
        if status == InvitationStatus.ACCEPTED and not accept:
            _promote(event)
    return invitation


def invitation_opt_out(*, token: str, opted_out: bool) -> Invitation:
    """The invitee's own choice, on their private page: no reminders (or reminders again)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(token=token)
        if invitation.opted_out != opted_out:
            invitation.opted_out = opted_out
            invitation.save(update_fields=["opted_out"])
    return invitation


@dataclass
class CheckIn:
    invitation: Invitation
    first_time: bool


def invitation_check_in(*, event: Event, token: str, actor: User) -> CheckIn:
    """Staff check an invitee in by the token of their QR code. Checking in twice records the
    first time only; only an accepted invitation of this event checks in."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(event=event, token=(token or "").strip()[:64])
            .first()
        )
        if invitation is None:
            raise ValidationError({"token": [_("No invitation of this event has this code.")]})
        if invitation.status != InvitationStatus.ACCEPTED:
            raise ValidationError(
                {"token": [_("Only someone who accepted the invitation can check in.")]}
            )
        if invitation.checked_in_at is not None:
            return CheckIn(invitation, first_time=False)
        invitation.checked_in_at = timezone.now()
        invitation.save(update_fields=["checked_in_at"])
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=invitation,
            fields=["checked_in_at"],
        )
    return CheckIn(invitation, first_time=True)


# --- reminders --------------------------------------------------------------------------------

SWEEP_BATCH = 2000


def event_reminders_sweep(*, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH) -> int:
    """Send every reminder due at ``now``: the day before and two hours before the start, once
    each, to accepted invitees with an account who did not opt out. None for an event that had
    begun when it was entered. Each is claimed by inserting its ``EventReminder`` row (a unique
    key), so two sweeps at once or a retried one send nothing twice. Returns how many were
    sent."""
    now = now or timezone.now()
    sent = 0
    for which, lead in REMINDER_LEAD.items():
        window = Q(event__starts_at__gt=now, event__starts_at__lte=now + lead)
        if which == ReminderWhich.DAY_BEFORE:
            # Within two hours of the start the two-hours reminder says it all.
            window &= Q(event__starts_at__gt=now + REMINDER_LEAD[ReminderWhich.TWO_HOURS])
        due = (
            Invitation.objects.filter(
                window,
                status=InvitationStatus.ACCEPTED,
                opted_out=False,
                event__created_at__lt=F("event__starts_at"),
                xiangxian__account__is_active=True,
            )
            .exclude(Exists(EventReminder.objects.filter(invitation=OuterRef("pk"), which=which)))
            .order_by("pk")
        )
        while True:
            with transaction.atomic():
                rows = list(
                    due.values_list(
                        "pk", "token", "xiangxian__account", "event__title", "event__starts_at"
                    )[:batch_size]
                )
                if not rows:
                    break
                sent += _remind(rows, which, now)
            if len(rows) < batch_size:
                break
    return sent


def _remind(rows: list[tuple], which: str, now: dt.datetime) -> int:
    claims = [EventReminder(invitation_id=row[0], which=which, sent_at=now) for row in rows]
    if connection.vendor == "postgresql":
        claimed = {
            pk for (pk,) in insert_rows(claims, skip_conflicts=True, returning=("invitation",))
        }
    else:  # SQLite takes one writer at a time: what this transaction read is its own
        EventReminder.objects.bulk_create(claims, ignore_conflicts=True)
        claimed = {row[0] for row in rows}
    users = User.objects.in_bulk({row[2] for row in rows if row[0] in claimed})
    messages = []
    for pk, token, account, title, starts_at in rows:
        if pk not in claimed or account not in users:
            continue
        values = {"title": title, "when": _when(starts_at)}
        if which == ReminderWhich.DAY_BEFORE:
            text = _("Reminder: %(title)s begins on %(when)s") % values
        else:
            text = _("Reminder: %(title)s begins at %(when)s, in two hours") % values
        messages.append(
            Message(
                recipients=[users[account]],
                kind=KIND_REMINDER,
                title=text,
                url=private_link(token),
                key=f"xiangxian.reminder:{pk}:{which}",
            )
        )
    notify_many(messages)
    return len(messages)
