"""企业亮灯日: requesting a celebration on the public screens, and deciding on it.

A request checks its text, image (by content, images only), dates and screens, and is told at
once when a chosen screen is already full on one of its days. The decisive check is at approval:
the celebration's row and its screens' rows are locked (in id order, so two approvals cannot
deadlock), then each day is counted again — of two approvals competing for a screen's last
place on a day, the second waits for the first and is told that day is full.
"""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.lifecycles import CELEBRATION
from enterprises.models import (
    Celebration,
    CelebrationKind,
    CelebrationStatus,
    Enterprise,
    Membership,
    Screen,
)
from enterprises.models.celebrations import MAX_DAYS, SCREEN_TEXT_MAX, SCREEN_TEXT_MIN
from enterprises.notifications import kind as notification_kind
from enterprises.services.attachments import validate_upload
from portal.exceptions import Conflict
from portal.models import Role, User
from portal.services import decide, notify

__all__ = [
    "IMAGE_TYPES",
    "celebration_approve",
    "celebration_decline",
    "celebration_request",
    "full_days",
]

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
# How far ahead a celebration may be booked.
BOOKING_HORIZON_DAYS = 366
REQUESTERS = (Role.DISPATCHER, Role.ADMIN)


def capacity() -> int:
    """How many approved celebrations one screen shows on one day (a setting)."""
    return settings.CELEBRATIONS_PER_SCREEN_PER_DAY


def clean_screen_text(value: str | None) -> str:
    """One line: inner runs of white space become one space."""
    return " ".join((value or "").split())


def full_days(
    screens: Iterable[Screen],
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    exclude: int | None = None,
) -> list[tuple[Screen, dt.date, int]]:
    """The (screen, day, approved count) of every day in the range on which a screen has no
    place left, earliest first — in one query."""
    screens = list(screens)
    limit = capacity()
    approved = (
        Celebration.objects.approved()
        .filter(screens__in=screens, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .values_list("screens__id", "starts_on", "ends_on")
    )
    if exclude is not None:
        approved = approved.exclude(pk=exclude)
    counts: dict[tuple[int, dt.date], int] = {}
    for screen_id, first, last in approved:
        day = max(first, starts_on)
        while day <= min(last, ends_on):
            counts[(screen_id, day)] = counts.get((screen_id, day), 0) + 1
            day += dt.timedelta(days=1)
    full = []
    day = starts_on
    while day <= ends_on:
        for screen in screens:
            count = counts.get((screen.pk, day), 0)
            if count >= limit:
                full.append((screen, day, count))
        day += dt.timedelta(days=1)
    return full


def _full_message(screen: Screen, day: dt.date, count: int) -> str:
    return _(
        "%(screen)s is full on %(day)s: it already shows %(count)d approved celebrations that "
        "day. Choose other days or another screen."
    ) % {"screen": screen.name, "day": day.isoformat(), "count": count}


def _deciders():
    return User.objects.filter(role__in=(Role.DISPATCHER, Role.LEADER), is_active=True)


def _members(enterprise_id: int):
    return User.objects.filter(
        is_active=True,
        memberships__enterprise_id=enterprise_id,
        memberships__status=Membership.Status.VERIFIED,
    )


def _tell(recipients, kind: str, celebration: Celebration, title: str, body: str = "") -> None:
    notify(
        recipients=list(recipients),
        kind=notification_kind(kind),
        title=title,
        body=body,
        url=celebration.get_absolute_url(),
        target=celebration,
    )


@transaction.atomic
def celebration_request(
    *,
    actor: User,
    enterprise: Enterprise | int | None,
    kind: str,
    screen_text: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    screens: Iterable[Screen | int],
    image=None,
) -> Celebration:
    """Ask for an enterprise's milestone to be celebrated on some screens on some days.

    Dispatchers ask for any enterprise, an entrepreneur for their own verified enterprises.
    Raises ``ValidationError`` keyed by field (a full day is named under ``screens``) and
    writes nothing on any bad input; the dispatchers and leaders are told of a valid request.
    """
    if actor.role == Role.ENTREPRENEUR and not actor.is_superuser:
        scope = Enterprise.objects.visible_to(actor)
    elif actor.has_role(*REQUESTERS):
        scope = Enterprise.objects.all()
    else:
        raise PermissionDenied(
            _("Only the enterprise itself or the united-front staff ask for a celebration.")
        )
    errors: dict[str, list[str]] = {}
    enterprise_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    enterprise = scope.filter(pk=enterprise_id).first() if enterprise_id else None
    if enterprise is None:
        errors["enterprise"] = [_("Choose an enterprise you may ask for.")]
    if kind not in CelebrationKind.values:
        errors["kind"] = [_("Choose one of the listed milestones.")]
    screen_text = clean_screen_text(screen_text)
    if not SCREEN_TEXT_MIN <= len(screen_text) <= SCREEN_TEXT_MAX:
        errors["screen_text"] = [
            _("The screens show %(min)d to %(max)d characters; this text has %(count)d.")
            % {"min": SCREEN_TEXT_MIN, "max": SCREEN_TEXT_MAX, "count": len(screen_text)}
        ]
    today = timezone.localdate()
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = [_("Choose the first day.")]
    elif starts_on < today:
        errors["starts_on"] = [_("The first day cannot be in the past.")]
    elif starts_on > today + dt.timedelta(days=BOOKING_HORIZON_DAYS):
        errors["starts_on"] = [_("Book at most a year ahead.")]
    if not isinstance(ends_on, dt.date):
        errors["ends_on"] = [_("Choose the last day.")]
    elif isinstance(starts_on, dt.date):
        if ends_on < starts_on:
            errors["ends_on"] = [_("The last day cannot be before the first day.")]
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            errors["ends_on"] = [
                _("A celebration runs for at most %(days)d days.") % {"days": MAX_DAYS}
            ]
    screen_ids = {s.pk if isinstance(s, Screen) else s for s in screens or ()}
    valid_ids = all(isinstance(pk, int) and not isinstance(pk, bool) for pk in screen_ids)
    chosen = (
        list(Screen.objects.active().filter(pk__in=screen_ids).order_by("sort_order", "pk"))
        if screen_ids and valid_ids
        else []
    )
    if not screen_ids:
        errors["screens"] = [_("Choose at least one screen.")]
    elif len(chosen) != len(screen_ids):
        errors["screens"] = [_("Choose screens from the list.")]
    image_type = ""
    if image:
        try:
            _name, image_type = validate_upload(image)
        except ValidationError as exc:
            errors["image"] = exc.messages
        else:
            if image_type not in IMAGE_TYPES:
                errors["image"] = [_("Only images (PNG, JPEG, GIF, WebP) can go on the screens.")]
    if not errors:
        full = full_days(chosen, starts_on, ends_on)
        if full:
            errors["screens"] = [_full_message(*row) for row in full[:5]]
    if errors:
        raise ValidationError(errors)

    celebration = Celebration(
        enterprise=enterprise,
        kind=kind,
        screen_text=screen_text,
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    if image:
        celebration.image_token = secrets.token_hex(16)
        celebration.image_type = image_type
        image.seek(0)
        celebration.image.save(celebration.image_token, image, save=False)
    celebration.save()
    celebration.screens.set(chosen)
    _tell(
        _deciders(),
        "celebration_requested",
        celebration,
        _("Light-up day requested for %(enterprise)s from %(start)s")
        % {"enterprise": enterprise.name, "start": starts_on.isoformat()},
        body=screen_text,
    )
    return celebration


def _begin(celebration: Celebration | int, actor: User, action: str) -> Celebration:
    """Lock the celebration's row and check ``action`` against its lifecycle.

    The role is checked first, before the lock: a person who may not decide waits for no one.
    """
    CELEBRATION.check_actor(actor, action)
    pk = celebration.pk if isinstance(celebration, Celebration) else celebration
    locked = Celebration.objects.select_for_update().select_related("enterprise").get(pk=pk)
    CELEBRATION.check(locked, actor, action)
    return locked


def _decided(celebration: Celebration) -> None:
    recipients = {user.pk: user for user in _members(celebration.enterprise_id)}
    recipients.setdefault(celebration.requested_by_id, celebration.requested_by)
    approved = celebration.status == CelebrationStatus.APPROVED
    _tell(
        recipients.values(),
        "celebration_decided",
        celebration,
        (
            _("The light-up day of %(enterprise)s (%(start)s–%(end)s) was approved")
            if approved
            else _("The light-up day of %(enterprise)s (%(start)s–%(end)s) was declined")
        )
        % {
            "enterprise": celebration.enterprise.name,
            "start": celebration.starts_on.isoformat(),
            "end": celebration.ends_on.isoformat(),
        },
        body=celebration.decision_note,
    )


@transaction.atomic
def celebration_approve(*, celebration: Celebration, actor: User, note: str = "") -> Celebration:
    """Approve a requested celebration if each of its screens still has a place on each day.

    Locks the celebration and then its screens (id order) before counting, so concurrent
    approvals for the same screen are decided one after the other. A full day raises
    ``Conflict`` naming the screen and the day; nothing is written then.
    """
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep it within %(max)d characters.") % {"max": 500}]})
    celebration = _begin(celebration, actor, "approve")
    if celebration.ends_on < timezone.localdate():
        raise Conflict(_("The days of this celebration are over; it can only be declined."))
    screen_ids = list(celebration.screens.values_list("pk", flat=True))
    screens = list(Screen.objects.select_for_update().filter(pk__in=screen_ids).order_by("pk"))
    full = full_days(screens, celebration.starts_on, celebration.ends_on, exclude=celebration.pk)
    if full:
        raise Conflict(_full_message(*full[0]))
    decide(celebration, by=actor, decision=CELEBRATION.target("approve"), note=note)
    _decided(celebration)
    return celebration


@transaction.atomic
def celebration_decline(*, celebration: Celebration, actor: User, reason: str) -> Celebration:
    """Decline a requested celebration with a reason the enterprise will read."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for declining.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep it within %(max)d characters.") % {"max": 500}]})
    celebration = _begin(celebration, actor, "decline")
    decide(celebration, by=actor, decision=CELEBRATION.target("decline"), note=reason)
    _decided(celebration)
    return celebration
