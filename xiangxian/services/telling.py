"""How an invitee is told something: a person of the registry with an active portal account
through the portal's notifications (in-app, and e-mail if they chose it); anyone else — a guest,
or a person of the registry without an account — by a text to their mobile number, through the
portal's outbox. Someone with neither is told nothing; what concerns them still shows on their
private itinerary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from portal.models import User
from portal.services.notifications import Message
from portal.validators import validate_mobile

# The invitations someone can be told about: an active account, or a mobile number (the blind
# indexes say whether there is one, without decrypting).
ADDRESSABLE = (
    Q(xiangxian__account__is_active=True)
    | ~Q(guest_phone_hash="")
    | Q(xiangxian__isnull=False, xiangxian__phone_hash__gt="")
)

# What ``invitees`` reads of each invitation; a caller may add columns after these.
COLUMNS = (
    "pk",
    "token",
    "xiangxian__account",
    "xiangxian__account__is_active",
    "guest_phone",
    "xiangxian__phone",
)


@dataclass(frozen=True)
class Invitee:
    invitation: int
    token: str
    user: User | None
    phone: str

    def message(self, **fields) -> Message | None:
        """The message to this invitee (``fields`` as for ``Message``), or None when there is
        no way to reach them."""
        if self.user is not None:
            return Message(recipients=[self.user], **fields)
        if self.phone:
            return Message(recipients=[], phones=[self.phone], **fields)
        return None


def _mobile(*numbers: str) -> str:
    for number in numbers:
        if not number:
            continue
        try:
            validate_mobile(number)
        except ValidationError:  # a landline in the registry: it takes no text
            continue
        return number
    return ""


def invitees(rows: Iterable[tuple]) -> list[Invitee]:
    """Rows that start with ``COLUMNS`` as invitees, with their accounts read in one query."""
    rows = list(rows)
    accounts = {row[2] for row in rows if row[2] is not None and row[3]}
    users = User.objects.in_bulk(accounts) if accounts else {}
    found = []
    for pk, token, account, active, guest_phone, registry_phone, *_rest in rows:
        user = users.get(account) if active else None
        phone = "" if user is not None else _mobile(guest_phone, registry_phone)
        found.append(Invitee(invitation=pk, token=token, user=user, phone=phone))
    return found


def messages_to(invitees: Iterable[Invitee], fields_for) -> list[Message]:
    """One message to each invitee who can be reached; ``fields_for(invitee)`` gives its fields
    (as for ``Message``, without recipients)."""
    messages = []
    for invitee in invitees:
        message = invitee.message(**fields_for(invitee))
        if message is not None:
            messages.append(message)
    return messages
