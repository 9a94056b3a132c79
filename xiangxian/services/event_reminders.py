"""The reminders of events, the day before and two hours before: each sent once (a row claimed
under a unique key), to accepted invitees who did not opt out — a notification to an account, a
text to anyone else's mobile — never for an event entered after it began."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.bulk import insert_rows
from portal.services.notifications import notify_many
from xiangxian.models import (
    EventReminder,
    Invitation,
    InvitationStatus,
    ReminderWhich,
)
from xiangxian.services.events import (
    KIND_REMINDER,
    REMINDER_LEAD,
    _when,
    private_link,
)
from xiangxian.services.telling import ADDRESSABLE, COLUMNS, Invitee, invitees, messages_to

# --- reminders --------------------------------------------------------------------------------

SWEEP_BATCH = 2000


def event_reminders_sweep(*, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH) -> int:
    """Send every reminder due at ``now``: the day before and two hours before the start, once
    each, to accepted invitees who did not opt out and can be reached (an account or a mobile
    number). None for an event that had
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
            )
            .filter(ADDRESSABLE)
            .exclude(Exists(EventReminder.objects.filter(invitation=OuterRef("pk"), which=which)))
            .order_by("pk")
        )
        while True:
            with transaction.atomic():
                rows = list(
                    due.values_list(*COLUMNS, "event__title", "event__starts_at")[:batch_size]
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
    titles = {row[0]: row[-2:] for row in rows}

    def fields_for(invitee: Invitee) -> dict:
        title, starts_at = titles[invitee.invitation]
        values = {"title": title, "when": _when(starts_at)}
        if which == ReminderWhich.DAY_BEFORE:
            text = _("Reminder: %(title)s begins on %(when)s") % values
        else:
            text = _("Reminder: %(title)s begins at %(when)s, in two hours") % values
        return {
            "kind": KIND_REMINDER,
            "title": text,
            "url": private_link(invitee.token),
            "key": f"xiangxian.reminder:{invitee.invitation}:{which}",
        }

    messages = messages_to(invitees(row for row in rows if row[0] in claimed), fields_for)
    notify_many(messages)
    return len(messages)
