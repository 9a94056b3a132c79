"""Events (会务): a conference, visit or forum, its programme, the invitations with their private
links, answers, waitlist and check-in, the changes an invitee is shown, and the reminders sent."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile
from portal.scoping import ScopedQuerySet
from xiangxian.models.people import REGISTRY_ROLES


def new_token() -> str:
    """The secret of an invitation's private link: 256 bits, unguessable."""
    return secrets.token_urlsafe(32)


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference (大会)")
    VISIT = "visit", _("Visit (考察)")
    FORUM = "forum", _("Forum (论坛)")


class EventQuerySet(ScopedQuerySet):
    """The registry's roles see every event (county staff too: the city's events are theirs
    to know); nobody else sees any."""

    city_wide_roles = REGISTRY_ROLES


class Event(models.Model):
    """An event (会务) of the department to which xiangxian and guests are invited."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"))
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    organiser_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser (colleague)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sweep sends no reminder for an event created after its start (entered afterwards).
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event (会务)")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at"], name="xx_event_starts_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="xx_event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="xx_event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("On the waitlist")


class Invitation(models.Model):
    """One person invited to one event: a xiangxian of the registry or a guest (name and
    mobile number). The token is the private link's secret; whoever holds it answers and sees
    this invitation's itinerary, and nothing of anyone else's."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    xiangxian = models.ForeignKey(
        "xiangxian.Xiangxian",
        verbose_name=_("xiangxian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    guest_name = models.CharField(_("guest's name"), max_length=50, blank=True)
    guest_phone = EncryptedCharField(
        _("guest's mobile number"),
        blank=True,
        default="",
        blind_index_field="guest_phone_hash",
        normalizer="portal.validators.normalize_mobile",
    )
    guest_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("answer"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
    )
    waitlist_position = models.PositiveIntegerField(_("place on the waitlist"), null=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    hotel = models.CharField(_("hotel"), max_length=200, blank=True)
    transport = models.CharField(_("transport"), max_length=200, blank=True)
    seat = models.CharField(_("seat"), max_length=50, blank=True)
    opted_out = models.BooleanField(_("no reminders"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "pk"]
        indexes = [
            models.Index(fields=["event", "status"], name="xx_invitation_event_status"),
        ]
        constraints = [
            # A xiangxian of the registry, or a guest with a name: exactly one of the two.
            models.CheckConstraint(
                condition=(Q(xiangxian__isnull=False) & Q(guest_name="") & Q(guest_phone_hash=""))
                | (Q(xiangxian__isnull=True) & ~Q(guest_name="")),
                name="xx_invitation_person_or_guest",
            ),
            models.UniqueConstraint(
                fields=["event", "xiangxian"], name="xx_invitation_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["event", "guest_phone_hash"],
                condition=~Q(guest_phone_hash=""),
                name="xx_invitation_once_per_guest_phone",
            ),
            # A place on the waitlist exactly while waitlisted, and each place once.
            models.CheckConstraint(
                condition=Q(status=InvitationStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=InvitationStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="xx_invitation_waitlist_position",
            ),
            models.UniqueConstraint(
                fields=["event", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="xx_invitation_one_per_waitlist_place",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status=InvitationStatus.ACCEPTED),
                name="xx_invitation_check_in_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.display_name}"

    @property
    def is_guest(self) -> bool:
        return self.xiangxian_id is None

    @property
    def display_name(self) -> str:
        if self.xiangxian_id is not None:
            return self.xiangxian.name
        return self.guest_name

    @property
    def masked_guest_phone(self) -> str:
        return mask_mobile(self.guest_phone) if self.guest_phone else ""


class ProgrammeItem(models.Model):
    """One item of an event's programme: when, where, what, and for whom (everyone when no
    invitation is named)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    what = models.CharField(_("what"), max_length=200)
    audience = models.ManyToManyField(
        Invitation,
        verbose_name=_("for (empty: everyone)"),
        blank=True,
        related_name="programme_items",
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="xx_programme_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.what


class ItineraryChange(models.Model):
    """A change an invitee is shown on their itinerary: of a programme item (shown to everyone
    it concerns) or of one invitation's hotel, transport or seat. ``fields`` names what changed,
    ``before`` holds the old values."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="changes"
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("programme item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="changes",
    )
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="changes",
    )
    fields = models.JSONField(_("what changed"), default=list)
    before = models.JSONField(_("before"), default=dict)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("itinerary change")
        verbose_name_plural = _("itinerary changes")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(invitation__isnull=False),
                name="xx_change_of_item_or_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {', '.join(self.fields)}"

    @property
    def field_labels(self) -> list[str]:
        """What changed, as the invitee reads it (the fields' names in their language)."""
        model = ProgrammeItem if self.item_id else Invitation
        labels = []
        for name in self.fields:
            try:
                labels.append(str(model._meta.get_field(name).verbose_name))
            except Exception:  # a field since renamed: its stored name
                labels.append(name)
        return labels


class ReminderWhich(models.TextChoices):
    DAY_BEFORE = "day_before", _("The day before")
    TWO_HOURS = "two_hours", _("Two hours before")


class EventReminder(models.Model):
    """One reminder sent to one invitation: recorded first, so each is sent once."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    which = models.CharField(_("reminder"), max_length=12, choices=ReminderWhich.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("event reminder")
        verbose_name_plural = _("event reminders")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "which"], name="xx_event_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.which}"
