from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Departments are public reference data for every signed-in user."""
        if not user.is_authenticated:
            return self.none()
        return self


class Department(models.Model):
    """A government department that handles appeals (承办单位)."""

    class WebhookKind(models.TextChoices):
        NONE = "", _("None")
        DINGTALK = "dingtalk", _("DingTalk robot")
        WECOM = "wecom", _("WeCom robot")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    webhook_kind = models.CharField(
        _("webhook kind"), max_length=10, choices=WebhookKind.choices, blank=True
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    # The robot's signing secret is a credential: encrypted at rest like personal data.
    webhook_secret = EncryptedCharField(_("webhook secret"), blank=True, default="")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department (承办单位)")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="department_name_unique"),
            models.CheckConstraint(
                condition=~models.Q(webhook_kind="") | models.Q(webhook_url=""),
                name="department_webhook_needs_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name
