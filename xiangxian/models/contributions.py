"""What xiangxian give back (反哺家乡): funds, investment, donations, free clinics, guaranteed
purchases, institutions brought home — and what it brought the villages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiangxian.models.people import Xiangxian


class ContributionKind(models.TextChoices):
    FUND = "fund", _("奔富基金 project")
    INVESTMENT = "investment", _("Investment (投资)")
    DONATION = "donation", _("Donation (捐赠)")
    CLINIC = "clinic", _("Free clinic (义诊)")
    PURCHASE = "purchase", _("Purchase guarantee (兜底收购)")
    INTRODUCTION = "introduction", _("Institution brought in (引进机构)")


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the person sees what they gave (the person's rule decides)."""
        return self.filter(xiangxian__in=Xiangxian.objects.visible_to(user))


class Contribution(models.Model):
    """One thing a person gave back to a village or township: an amount of money, or a
    quantity (5000 t of pomelo bought), with what it brought the villagers where known."""

    xiangxian = models.ForeignKey(
        Xiangxian,
        verbose_name=_("xiangxian"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey(
        "portal.Region",
        verbose_name=_("beneficiary village or township"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_on = models.DateField(_("date"))
    amount_yuan = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=20, blank=True, help_text=_("For example t, 人次.")
    )
    income_added_yuan = models.DecimalField(
        _("income added for villagers (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    collective_income_yuan = models.DecimalField(
        _("yearly collective income (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("contribution (反哺)")
        verbose_name_plural = _("contributions")
        ordering = ["-made_on", "-pk"]
        indexes = [
            models.Index(fields=["made_on", "id"], name="xx_contribution_date"),
            models.Index(fields=["kind", "made_on"], name="xx_contribution_kind_date"),
            models.Index(fields=["xiangxian", "made_on"], name="xx_contribution_person_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__isnull=False) | Q(quantity__isnull=False),
                name="xx_contribution_amount_or_quantity",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | ~Q(unit=""),
                name="xx_contribution_quantity_has_unit",
            ),
            models.CheckConstraint(
                condition=(Q(amount_yuan__isnull=True) | Q(amount_yuan__gte=0))
                & (Q(quantity__isnull=True) | Q(quantity__gt=0))
                & (Q(income_added_yuan__isnull=True) | Q(income_added_yuan__gte=0))
                & (Q(collective_income_yuan__isnull=True) | Q(collective_income_yuan__gte=0)),
                name="xx_contribution_figures_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title
