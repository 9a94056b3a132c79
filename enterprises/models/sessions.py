"""亲清半月谈 dialogue sessions: city leaders meet invited entrepreneurs and experts on one theme.

A session is planned, then held, then summarised (its minutes written); the steps live in
``enterprises.services.sessions``. Needs raised at a session become appeals (``Appeal.session``)
and run through the normal loop; the session's figures are counted from those appeals.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.scoping import ScopedQuerySet


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    SUMMARISED = "summarised", _("Summarised")


# A session that has taken place, whether or not its minutes are written yet.
HELD_STATUSES = (SessionStatus.HELD, SessionStatus.SUMMARISED)


class DialogueSessionQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The united-front staff and leaders see every session; an entrepreneur sees the
        sessions they were invited to; government departments see none."""
        if not user.has_role(Role.ENTREPRENEUR):
            return None
        return Q(Exists(SessionInvitation.objects.filter(session_id=OuterRef("pk"), user=user)))

    def held(self):
        return self.filter(status__in=HELD_STATUSES)


class DialogueSession(models.Model):
    """One 亲清半月谈 (第N期): a theme, a date and venue, host leaders, invited entrepreneurs and
    experts, an agenda and, once held, minutes."""

    number = models.PositiveIntegerField(_("number (第N期)"), unique=True)
    theme = models.CharField(_("theme"), max_length=200)
    held_on = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host leaders"),
        blank=True,
        related_name="hosted_sessions",
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=5000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    summarised_at = models.DateTimeField(_("summarised at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DialogueSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("dialogue session (亲清半月谈)")
        verbose_name_plural = _("dialogue sessions")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="session_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.PLANNED) | Q(held_at__isnull=False),
                name="session_held_has_time",
            ),
            # Summarised means the minutes are on record.
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.SUMMARISED)
                | (Q(summarised_at__isnull=False) & ~Q(minutes="")),
                name="session_summarised_has_minutes",
            ),
        ]
        indexes = [
            # The day-before reminder sweep looks for planned sessions of one day.
            models.Index(
                fields=["held_on"],
                condition=Q(status="planned"),
                name="session_planned_by_day",
            ),
        ]

    def __str__(self) -> str:
        return _("Session %(number)d: %(theme)s") % {"number": self.number, "theme": self.theme}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enterprises:session-detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES


class SessionExpert(models.Model):
    """An expert at a session: a person without an account, named with their organisation."""

    session = models.ForeignKey(
        DialogueSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="experts"
    )
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session expert")
        verbose_name_plural = _("session experts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class InvitationAnswer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", _("Will attend")
    DECLINED = "declined", _("Cannot attend")


class SessionInvitation(models.Model):
    """An entrepreneur invited to a session on behalf of one of their enterprises, and their
    answer."""

    # Both covered by the composite unique constraint and index below.
    session = models.ForeignKey(
        DialogueSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="invitations",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entrepreneur"),
        on_delete=models.PROTECT,
        related_name="session_invitations",
        db_index=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="session_invitations",
    )
    answer = models.CharField(
        _("answer"),
        max_length=10,
        choices=InvitationAnswer.choices,
        default=InvitationAnswer.PENDING,
    )
    answer_note = models.CharField(_("note"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("session invitation")
        verbose_name_plural = _("session invitations")
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="invitation_once_per_person"),
            models.CheckConstraint(
                condition=Q(answer__in=InvitationAnswer.values), name="invitation_answer_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer=InvitationAnswer.PENDING) | Q(answered_at__isnull=False),
                name="invitation_answer_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "session"], name="invitation_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} → {self.user_id}"


class SessionReminder(models.Model):
    """The day-before reminder of one invitation, recorded once: its unique key (invitation and
    session date) makes a retried or doubled sweep send nothing twice, while a session moved to
    another day gets a reminder for the new day."""

    invitation = models.ForeignKey(
        SessionInvitation, on_delete=models.CASCADE, related_name="reminders"
    )
    session_date = models.DateField(_("session date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "session_date"], name="session_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.session_date}"
