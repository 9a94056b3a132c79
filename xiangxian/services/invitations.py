"""Invitations to events (会务): sent in bulk and once each, answered through the private link
with a waitlist (answers to one event are taken one at a time under the event's row lock, so
capacity is never exceeded and a freed place goes to exactly one person), and check-in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import Conflict
from portal.models import AuditLog, User
from portal.services import audit_record
from portal.services.notifications import notify_many
from portal.validators import normalize_mobile, validate_mobile
from xiangxian.models import (
    Event,
    Invitation,
    InvitationStatus,
    Xiangxian,
)
from xiangxian.services.events import (
    KIND_INVITED,
    KIND_PROMOTED,
    _when,
    private_link,
)
from xiangxian.services.telling import ADDRESSABLE, COLUMNS, invitees, messages_to

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
    invitations are written in one statement and each new invitee is told once — a notification
    to an account, a text to anyone else's mobile; a fixed number of queries whatever the
    number of people.
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
        people = set(
            Xiangxian.objects.current().filter(pk__in=wanted - invited).values_list("pk", flat=True)
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
        title = _("You are invited: %(title)s") % {"title": event.title}
        body = _("%(when)s at %(venue)s. Open the link to answer.") % {
            "when": _when(event.starts_at),
            "venue": event.venue,
        }
        by_pk = {invitation.pk: invitation for invitation in new}
        reached = invitees(
            Invitation.objects.filter(pk__in=by_pk).filter(ADDRESSABLE).values_list(*COLUMNS)
        )
        messages = messages_to(
            reached,
            lambda invitee: {
                "kind": KIND_INVITED,
                "title": title,
                "body": body,
                "url": private_link(invitee.token),
                "target": by_pk[invitee.invitation],
                "key": f"xiangxian.invited:{invitee.invitation}",
            },
        )
        notify_many(messages)
        notified = len(messages)
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


def waitlist_promote(event: Event) -> list[Invitation]:
    """Fill the event's free places from the waitlist, in order; each one promoted is told.
    The caller holds the event's lock."""
    accepted = Invitation.objects.filter(event=event, status=InvitationStatus.ACCEPTED).count()
    free = event.capacity - accepted
    if free <= 0:
        return []
    promoted = list(
        Invitation.objects.select_for_update(of=("self",))
        .filter(event=event, status=InvitationStatus.WAITLISTED)
        .order_by("waitlist_position")[:free]
    )
    if not promoted:
        return []
    now = timezone.now()
    by_pk = {invitation.pk: invitation for invitation in promoted}
    Invitation.objects.filter(pk__in=by_pk).update(
        status=InvitationStatus.ACCEPTED, waitlist_position=None, answered_at=now
    )
    for invitation in promoted:
        invitation.status, invitation.waitlist_position = InvitationStatus.ACCEPTED, None
    title = _("A place is free for you: %(title)s") % {"title": event.title}
    reached = invitees(
        Invitation.objects.filter(pk__in=by_pk).filter(ADDRESSABLE).values_list(*COLUMNS)
    )
    notify_many(
        messages_to(
            reached,
            lambda invitee: {
                "kind": KIND_PROMOTED,
                "title": title,
                "body": _("You were on the waitlist; your place is confirmed."),
                "url": private_link(invitee.token),
                "target": by_pk[invitee.invitation],
                "key": f"xiangxian.promoted:{invitee.invitation}:{now:%Y%m%d%H%M%S%f}",
            },
        )
    )
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
            waitlist_promote(event)
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
