from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.users import Role
from portal.scoping import ScopedQuerySet


class AuditLogQuerySet(ScopedQuerySet):
    """Only administrators read the audit trail."""

    city_wide_roles = (Role.ADMIN,)


class AuditLog(models.Model):
    """An append-only record of a sensitive act: a full view of personal data or an admin change."""

    class Action(models.TextChoices):
        VIEW_PERSONAL = "view_personal", _("viewed personal data in full")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported from Excel")
        GRANT = "grant", _("granted a role")
        REVOKE = "revoke", _("revoked a role")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("object type"), max_length=100)
    target_id = models.CharField(_("object id"), max_length=64)
    target_repr = models.CharField(_("object"), max_length=200)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.target_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit log entries are append-only.")
