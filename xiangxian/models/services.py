"""The services the department gives xiangxian (十项服务) and each service given to a person."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.scoping import ScopedQuerySet
from xiangxian.models.people import REGISTRY_ROLES, Xiangxian


class ServiceKindQuerySet(ScopedQuerySet):
    """The catalogue is read by whoever sees the registry."""

    city_wide_roles = REGISTRY_ROLES


class ServiceKind(models.Model):
    """One of the services offered to xiangxian (金融服务, 商务服务, 畅游服务 …); administrators
    keep the catalogue. ``code`` is what figures and the API name a kind by."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    flagship = models.BooleanField(
        _("flagship service"),
        default=False,
        help_text=_("One of the three services the department leads with."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ServiceKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("service kind (服务项目)")
        verbose_name_plural = _("service kinds")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The services of the people ``user`` sees: whoever's rule decides who sees a person
        decides who sees what was done for them (merged-away people's rows have moved on)."""
        return self.filter(xiangxian__in=Xiangxian.objects.visible_to(user))


class ServiceRecord(models.Model):
    """A service given to a person: a loan granted, a hotel or scenic-spot discount, help with
    a business licence … with its value in yuan where it has one."""

    xiangxian = models.ForeignKey(
        Xiangxian,
        verbose_name=_("xiangxian"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    kind = models.ForeignKey(
        ServiceKind, verbose_name=_("service"), on_delete=models.PROTECT, related_name="records"
    )
    served_on = models.DateField(_("date"))
    provider = models.CharField(
        _("provider"), max_length=100, blank=True, help_text=_("A bank, hotel, scenic spot …")
    )
    value_yuan = models.DecimalField(
        _("value (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("A loan amount, or the discount given; 0 if it has no value in money."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record (服务记录)")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "served_on"], name="xx_service_kind_date"),
            models.Index(fields=["xiangxian", "served_on"], name="xx_service_person_date"),
            models.Index(fields=["served_on", "id"], name="xx_service_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_yuan__gte=0), name="xx_service_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.served_on}"
