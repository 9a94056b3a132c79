"""Notifications: the in-app message (always), each person's channel choices, and the outbox of
deliveries to the other channels (e-mail, DingTalk and WeCom robots).

A ``Delivery`` is recorded in the same transaction as the notification it carries and handed to
Celery after commit; a worker claims it with a conditional update, so a delivery is sent once
however often its task runs (see ``portal.services.deliveries``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.models.users import DEPARTMENT_ROLES
from portal.registry import KIND_MAX_LENGTH, notification_kind, split_kind
from portal.scoping import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    # A notification is only ever its recipient's.
    owner_only = True

    def scope_q(self, user):
        return Q(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one user, optionally about one object (an appeal, a membership…)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # ``"<app>.<name>"``, a kind registered with ``portal.registry.register_notification_kind``.
    kind = models.CharField(_("kind"), max_length=KIND_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # The message's key (e.g. a reminder's): a recipient gets a keyed message once, however
    # often it is sent. Empty for messages that may repeat.
    key = models.CharField(_("key"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]
        constraints = [
            # Leads with the key: ``notify_many`` looks keyed messages up by key alone.
            models.UniqueConstraint(
                fields=["key", "recipient"],
                condition=~Q(key=""),
                name="notification_key_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_app(self) -> str | None:
        """The app whose kind of notification this is (``None`` for a kind without one)."""
        return split_kind(self.kind)[0]

    @property
    def kind_name(self) -> str:
        """The kind's name within its app (``assigned`` of ``"<app>.assigned"``)."""
        return split_kind(self.kind)[1]

    @property
    def kind_label(self) -> str:
        """The kind as people read it: its registered name, else what it is about."""
        registered = notification_kind(self.kind)
        if registered is not None:
            return registered.label
        model = self.target_type.model_class() if self.target_type_id else None
        if model is not None:
            return model._meta.verbose_name
        return _("Notice")


class NotificationPreference(models.Model):
    """Which channels a person wants besides the in-app notification (which is always on).

    Created the first time the person saves the preferences page; until then the defaults of
    ``defaults_for`` apply, so nobody needs a row to be reached.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_robot = models.BooleanField(_("in the department's group chat (robot)"), default=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def defaults_for(*, role: str) -> dict[str, bool]:
        """E-mail is on for everyone (it needs an address to mean anything); the department's
        robot is on for handlers and department heads, whose group chat it posts to."""
        return {"by_email": True, "by_robot": role in DEPARTMENT_ROLES}


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending deliveries whose time has come and that no queued message is trusted to
        carry, and those whose worker's lease ran out (the worker died while sending)."""
        now = now or timezone.now()
        return self.filter(
            Q(
                Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
                status=Delivery.Status.PENDING,
                next_attempt_at__lte=now,
            )
            | Q(status=Delivery.Status.SENDING, claimed_until__lte=now)
        )


class Delivery(models.Model):
    """One message to one channel: an e-mail to a notification's recipient, a post to a
    department's robot, or a text message to a phone (someone without an account: a guest
    invited to an event). The row is the outbox entry and the delivery log at once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        DINGTALK = "dingtalk", _("DingTalk robot")
        WECOM = "wecom", _("WeCom robot")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    ROBOT_CHANNELS = (Channel.DINGTALK, Channel.WECOM)

    key = models.CharField(_("key"), max_length=255)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # A text message's number: encrypted like every phone number the portal holds.
    phone = EncryptedCharField(
        _("mobile number"), blank=True, normalizer="portal.validators.normalize_mobile"
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    # The robot's JSON body as it will be posted (empty for e-mail).
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # While sending: the worker's lease. While pending: how long the message already handed to
    # the broker is trusted before the catch-up hands over another one.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], name="delivery_key_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel="email", notification__isnull=False)
                | Q(channel__in=["dingtalk", "wecom"], department__isnull=False)
                | (Q(channel="sms") & ~Q(phone="")),
                name="delivery_channel_has_target",
            ),
        ]
        indexes = [
            # The catch-up reads only what is pending or sending: its cost follows the
            # backlog, not the log's size.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="delivery_sending_lease",
            ),
            models.Index(fields=["-created_at"], name="delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"
