"""Deadlines that nobody has to watch: the escalation ladder and the reminders it has sent.

An administrator edits the ladder (``EscalationRule``). The sweep (``enterprises.services.
reminders``) looks only at appeals whose ``Appeal.next_reminder_at`` has come, fires the rules
that are due and records each firing as a ``Reminder`` whose unique key — appeal, rule, deadline
in force, occurrence and part — guarantees that a retry or a second sweep sends nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    """What a rule's day is counted from."""

    UNSIGNED = "unsigned", _("Not signed for: counted from the sign-for deadline")
    DUE = "due", _("Deadline in force: counted from the deadline")
    PART_DUE = "part_due", _("Co-handling part missing: counted from its sub-deadline")
    UNRATED = "unrated", _("Reply not rated: counted from the reply")


class EscalationRule(models.Model):
    """One rung of the ladder: on which working day relative to a deadline, tell whom.

    The rule fires at ``REMINDER_TIME`` (Asia/Shanghai) on the working day ``offset_days`` from
    its anchor (negative: before it). While the clock is stopped waiting for the enterprise no
    rule about the deadline fires; when it restarts the deadline has moved, and so do the rules.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    trigger = models.CharField(_("counted from"), max_length=12, choices=Trigger.choices)
    offset_days = models.SmallIntegerField(
        _("working days after (negative: before)"),
        help_text=_("0 is the anchor day itself, 1 the working day after it, -2 two before."),
    )
    notify_handlers = models.BooleanField(_("handlers of the lead department"), default=False)
    notify_heads = models.BooleanField(_("head of the lead department"), default=False)
    notify_dispatchers = models.BooleanField(_("dispatchers"), default=False)
    notify_supervisors = models.BooleanField(_("supervising leaders"), default=False)
    notify_part_department = models.BooleanField(
        _("the co-handling department (parts only)"), default=False
    )
    notify_enterprise = models.BooleanField(_("the enterprise"), default=False)
    supervised_only = models.BooleanField(
        _("only for supervised appeals"),
        default=False,
        help_text=_("For the rungs that add supervising leaders (督办)."),
    )
    repeat_daily = models.BooleanField(_("repeat every working day while it holds"), default=False)
    auto_close = models.BooleanField(
        _("close the appeal"),
        default=False,
        help_text=_("Only for unrated replies: closes the appeal as unrated (自动办结)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="escalation_rule_trigger_valid"
            ),
            models.CheckConstraint(
                condition=Q(offset_days__gte=-30) & Q(offset_days__lte=60),
                name="escalation_rule_offset_range",
            ),
            models.CheckConstraint(
                condition=Q(auto_close=False) | Q(trigger=Trigger.UNRATED),
                name="escalation_rule_auto_close_unrated_only",
            ),
            models.CheckConstraint(
                condition=Q(notify_part_department=False) | Q(trigger=Trigger.PART_DUE),
                name="escalation_rule_part_department_parts_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """One firing of a rule for one appeal: the record that makes every reminder happen once."""

    # The unique key's index starts with the appeal: no index of its own.
    appeal = models.ForeignKey(
        "enterprises.Appeal", on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    rule = models.ForeignKey(EscalationRule, on_delete=models.PROTECT, related_name="reminders")
    deadline = models.DateField(_("deadline in force"))
    # The working day it fired on: equal to ``deadline`` except for rules repeated daily.
    occurrence = models.DateField(_("for the day"))
    # The co-handling part (its id) for rules about parts, else 0.
    part = models.PositiveBigIntegerField(default=0)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.PositiveSmallIntegerField(_("people told"), default=0)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "rule", "deadline", "occurrence", "part"],
                name="reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.rule_id} {self.deadline}"


class OverdueDigest(models.Model):
    """One daily overdue digest sent to one person: recorded so it is sent once a day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    appeals = models.PositiveIntegerField(_("overdue appeals"), default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("overdue digest")
        verbose_name_plural = _("overdue digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="overdue_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.day}"
