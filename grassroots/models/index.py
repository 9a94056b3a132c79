"""The index (一指数): indicators per domain, versioned per year; periods with their flow; the
scores as rows (one per period, unit and indicator, corrections as new versions) and a roll-up
per period and unit that the ranking reads."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.models.duties import UnitScopedQuerySet
from grassroots.models.units import Domain, Unit


class RuleKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from the data")
    SCORED = "scored", _("Scored by reviewers")


class Metric(models.TextChoices):
    """What a computed indicator reads."""

    DUTY_ON_TIME_SHARE = "duty_on_time_share", _("Share of duty items done on time")
    TYPICAL_CASE_COUNT = "typical_case_count", _("Typical cases")
    APPEALS_CLOSED_ON_TIME = "appeals_closed_on_time", _("Appeals closed on time")


class IndexScheme(models.Model):
    """The indicators of one domain for one year, as version ``version``; a period's scores
    use the latest version of their year when they are computed, so this year's change never
    touches last year's scores."""

    year = models.PositiveSmallIntegerField(_("year"))
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("index scheme (指数方案)")
        verbose_name_plural = _("index schemes")
        ordering = ["-year", "domain", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "domain", "version"], name="grassroots_scheme_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="grassroots_scheme_domain_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_domain_display()} · v{self.version}"

    def scores_locked(self) -> bool:
        """Whether a locked period's scores use this scheme (then it is not edited)."""
        return UnitScore.objects.filter(indicator__scheme=self, period__status="locked").exists()


class Indicator(models.Model):
    """One indicator of a scheme: ``weight`` in the total; a computed one scores
    ``min(100, value × points_per_unit)``, a scored one 0–100 by a reviewer."""

    scheme = models.ForeignKey(
        IndexScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000"))],
    )
    rule = models.CharField(_("rule"), max_length=10, choices=RuleKind.choices)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, blank=True)
    points_per_unit = models.DecimalField(
        _("points per unit of the value"), max_digits=8, decimal_places=2, default=100
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator (指标)")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grassroots_indicator_code"),
            models.CheckConstraint(
                condition=(Q(rule="computed") & ~Q(metric="")) | (Q(rule="scored") & Q(metric="")),
                name="grassroots_indicator_rule_metric",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="grassroots_indicator_weight"),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("County review")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class Period(models.Model):
    """A scoring period (a quarter or a year) with its flow: draft → county review →
    submitted → locked (see ``grassroots.services.index.TRANSITIONS``)."""

    key = models.CharField(_("period"), max_length=7, unique=True)  # 2023 or 2023Q1
    kind = models.CharField(_("kind"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("index period (考核期)")
        verbose_name_plural = _("index periods")
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PeriodStatus.values), name="grassroots_period_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="grassroots_period_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class UnitScore(models.Model):
    """One unit's score on one indicator in one period, as version ``version``; a correction
    after locking adds a version (who and why) and keeps the old one (``current`` False)."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="scores"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    current = models.BooleanField(default=True)
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["period", "unit", "indicator__order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "indicator"],
                condition=Q(current=True),
                name="grassroots_score_one_current",
            ),
            models.UniqueConstraint(
                fields=["period", "unit", "indicator", "version"],
                name="grassroots_score_unique_version",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="grassroots_score_range",
            ),
        ]
        indexes = [models.Index(fields=["period", "unit"], name="grassroots_score_period_unit")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.unit_id}/{self.indicator_id} v{self.version}: {self.score}"


class UnitTotal(models.Model):
    """A unit's weighted total in a period (0–100), written whenever its scores change; the
    ranking reads only these rows."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="totals"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="totals"
    )
    # Copied from the unit, so that ranking by domain or county reads one table.
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    county = models.ForeignKey(
        "portal.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit total")
        verbose_name_plural = _("unit totals")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="grassroots_total_unique"),
        ]
        indexes = [
            models.Index(
                fields=["period", "domain", "-score"], name="grassroots_total_domain_rank"
            ),
            models.Index(fields=["period", "county"], name="grassroots_total_county"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.unit_id}: {self.score}"
