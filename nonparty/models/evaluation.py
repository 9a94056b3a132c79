"""The comprehensive evaluation (综合评价): a yearly scheme of dimensions with weights and grade
thresholds, set by the office, and each person's evaluation — scored by their liaison cadre with
evidence from the growth record, reviewed (or returned) by the office.

A scheme is versioned: once a version has a reviewed evaluation it is never changed again, a
change is a new version of the year (``services.evaluation.scheme_save``), and every evaluation
keeps the version it was scored on, so last year's grades stay what they were."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import ARCHIVE_ROLES, CITY_ROLES, Person, PersonScopedQuerySet
from portal.scoping import ScopedQuerySet

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")


class SchemeQuerySet(ScopedQuerySet):
    """Schemes (dimensions, weights, thresholds: no one's record) are read by everyone who works
    with the archive."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        return Q() if user.has_role(*ARCHIVE_ROLES) else None

    def current(self, year: int):
        """The version in force for ``year``: the latest."""
        return self.filter(year=year).order_by("-version").first()


class EvaluationScheme(models.Model):
    """One version of a year's evaluation scheme (评价方案)."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation scheme (评价方案)")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"], name="nonparty_scheme_one_per_year_version"
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s scheme, version %(version)s") % {
            "year": self.year,
            "version": self.version,
        }


class SchemeDimension(models.Model):
    """A dimension of a scheme (评价维度) and its weight, in percent of the total."""

    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("scheme"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    name = models.CharField(_("dimension"), max_length=30)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension (评价维度)")
        verbose_name_plural = _("dimensions")
        ordering = ["scheme_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name"], name="nonparty_dimension_name_once_per_scheme"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="nonparty_dimension_weight_1_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}%"


class SchemeGrade(models.Model):
    """A grade of a scheme (等次) and the lowest weighted score that earns it."""

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="grades"
    )
    label = models.CharField(_("grade"), max_length=10)
    min_score = models.DecimalField(
        _("from score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )

    class Meta:
        verbose_name = _("grade (等次)")
        verbose_name_plural = _("grades")
        ordering = ["scheme_id", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "label"], name="nonparty_grade_label_once_per_scheme"
            ),
            models.UniqueConstraint(
                fields=["scheme", "min_score"], name="nonparty_grade_threshold_once_per_scheme"
            ),
            models.CheckConstraint(
                condition=Q(min_score__gte=0, min_score__lte=100),
                name="nonparty_grade_threshold_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draft (草稿)")
    SUBMITTED = "submitted", _("Submitted (已提交)")
    REVIEWED = "reviewed", _("Reviewed (已审核)")
    RETURNED = "returned", _("Returned (已退回)")


class EvaluationQuerySet(PersonScopedQuerySet):
    """Seen by whoever sees the person: the office and leaders all, county staff their county's
    people, a liaison cadre their current people."""


class Evaluation(models.Model):
    """A person's evaluation for a year, on one version of the year's scheme."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("scheme version"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison cadre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    comment = models.TextField(_("overall comment"), blank=True, max_length=2000)
    # Stored when reviewed, on ``scheme``: never recomputed afterwards.
    score = models.DecimalField(
        _("weighted score"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reason for adjustments"), max_length=500, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation (综合评价)")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "person__name", "pk"]
        indexes = [
            models.Index(fields=["year", "state"], name="nonparty_eval_year_state"),
            models.Index(fields=["year", "grade"], name="nonparty_eval_year_grade"),
            models.Index(fields=["cadre", "year"], name="nonparty_eval_cadre_year"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="nonparty_one_eval_per_year"),
            models.CheckConstraint(
                condition=Q(state__in=EvaluationState.values), name="nonparty_eval_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state="reviewed") | Q(score__isnull=False),
                name="nonparty_eval_reviewed_has_score",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.person}"

    @property
    def editable(self) -> bool:
        return self.state in (EvaluationState.DRAFT, EvaluationState.RETURNED)


class EvaluationScore(models.Model):
    """The score of one dimension, with the cadre's comment and the office's adjustment."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    dimension = models.ForeignKey(
        SchemeDimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    adjusted = models.DecimalField(
        _("adjusted score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    # Entries of the person's growth record, as ``["training:12", "proposal:3"]``.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)

    class Meta:
        verbose_name = _("dimension score")
        verbose_name_plural = _("dimension scores")
        ordering = ["evaluation_id", "dimension__order", "dimension_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "dimension"], name="nonparty_score_once_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="nonparty_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(adjusted__isnull=True) | Q(adjusted__gte=0, adjusted__lte=100),
                name="nonparty_adjusted_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.name}: {self.final}"

    @property
    def final(self) -> Decimal:
        return self.score if self.adjusted is None else self.adjusted
