"""The "decided request": someone asks, someone else decides once, and the decision is on record.

Extensions of a deadline, enterprise memberships and light-up days are all of this shape. Each
concrete model names its own ``status`` choices (the first state is ``pending_value``); the write
goes through ``portal.services.decide``, which locks the row before ``DecidedRequest.decide``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.exceptions import Conflict


class DecidedRequest(models.Model):
    """A request waiting for one decision: who asked and when, who decided, when, what and why."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    # The status of a request nobody has decided yet; a model with other words names its own.
    pending_value = Decision.PENDING

    status = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("reason / note"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_decided(self) -> bool:
        return self.status != self.pending_value

    @classmethod
    def decisions(cls) -> list[str]:
        """The statuses a decision may set: every choice but the pending one."""
        field = cls._meta.get_field("status")
        return [value for value, _label in field.choices if value != cls.pending_value]

    def decide(self, *, by, decision: str, note: str = "") -> list[str]:
        """Record the decision on this instance (not saved) and return the fields to save.

        A request is decided once: a second decision raises ``Conflict``. ``by`` may be None
        for a decision the system takes (e.g. a request dropped with its appeal).
        """
        if self.is_decided:
            raise Conflict(_("This request has already been decided."))
        if decision not in self.decisions():
            raise ValueError(f"{decision!r} is not a decision of {type(self).__name__}")
        self.status = decision
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note
        return ["status", "decided_by", "decided_at", "decision_note"]
