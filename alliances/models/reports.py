"""Figures villages report each half year (村级经济数据报送): indicators, one report per village
and period in versions, its values, the history of its steps and the reminders sent about it.

A report goes draft → submitted (the village's reporter) → checked (the county's staff) →
approved (the office), or back to the reporter (returned, with a reason) from submitted or
checked. An approved version is locked; a correction is a new version of the same village and
period, and the old one stays as it was. The version in force (``is_effective``) is the newest
approved one: it alone counts in the figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.periods import PERIOD_CODE_REGEX
from portal.models import Region, Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of


class Indicator(models.Model):
    """Something a village reports: 村集体经济收入, 经营性收入 and whatever an admin adds."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, default="元")
    is_amount = models.BooleanField(
        _("an amount in yuan"),
        default=True,
        help_text=_("Amounts are entered and stored in yuan and shown in 万元."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator (报送指标)")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("village report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("village report", "Submitted")
    CHECKED = "checked", pgettext_lazy("village report", "Checked by the county")
    APPROVED = "approved", pgettext_lazy("village report", "Approved")
    RETURNED = "returned", pgettext_lazy("village report", "Returned")


OPEN_STATUSES = ("draft", "submitted", "checked", "returned")


class VillageReportQuerySet(ScopedQuerySet):
    """The office and leaders see every report; county staff their county's villages'; a
    village's reporter their village's. Everyone else nothing."""

    def scope_q(self, user):
        return any_of(
            within_q("village", user.region_codes(Role.COUNTY_STAFF)),
            (Q(village_id__in=ids) if (ids := user.region_ids(Role.VILLAGE_REPORTER)) else None),
        )


class VillageReport(models.Model):
    """One version of a village's figures for one period."""

    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="village_reports",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    period = models.CharField(_("period"), max_length=6)
    # The period's dates, kept beside its code so the figures join memberships by date in SQL.
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The approved version in force for its village and period (the newest approved one).
    is_effective = models.BooleanField(_("in force"), default=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("why corrected"), blank=True)
    return_reason = models.TextField(_("why returned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Optimistic concurrency: every change adds one; an edit based on an older one is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    objects = VillageReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("village report (村级报送)")
        verbose_name_plural = _("village reports")
        ordering = ["-period", "village__code", "-version"]
        indexes = [
            models.Index(fields=["period", "is_effective"], name="al_report_period_effective"),
            models.Index(fields=["village", "period"], name="al_report_village_period"),
            models.Index(fields=["status", "period"], name="al_report_status_period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "period", "version"], name="al_report_version_once"
            ),
            # At most one version under way per village and period …
            models.UniqueConstraint(
                fields=["village", "period"],
                condition=Q(status__in=OPEN_STATUSES),
                name="al_report_one_open_version",
            ),
            # … and one in force.
            models.UniqueConstraint(
                fields=["village", "period"],
                condition=Q(is_effective=True),
                name="al_report_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(is_effective=False) | Q(status="approved"),
                name="al_report_in_force_is_approved",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ReportStatus]),
                name="al_report_status_known",
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_CODE_REGEX), name="al_report_period_code"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="al_report_period_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} {self.period} v{self.version}"

    @property
    def locked(self) -> bool:
        """Only a draft or a returned version is edited; approved ones never again."""
        return self.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportValue(models.Model):
    report = models.ForeignKey(
        VillageReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    # Amounts in yuan; other indicators in their own unit.
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["report", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="al_value_once_per_indicator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="al_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ReportStep(models.Model):
    """One step in a report's history (append-only): who, when, from what to what, why."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("village report step", "Entered")
        EDIT = "edit", pgettext_lazy("village report step", "Edited")
        SUBMIT = "submit", pgettext_lazy("village report step", "Submitted")
        CHECK = "check", pgettext_lazy("village report step", "Checked")
        APPROVE = "approve", pgettext_lazy("village report step", "Approved")
        RETURN = "return", pgettext_lazy("village report step", "Returned")
        CORRECT = "correct", pgettext_lazy("village report step", "Correction begun")
        IMPORT = "import", pgettext_lazy("village report step", "Imported")

    report = models.ForeignKey(
        VillageReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("step of a village report")
        verbose_name_plural = _("steps of village reports")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_action_display()}"


class ReportReminder(models.Model):
    """A reminder sent about a village's period (claimed once by its unique key)."""

    class Stage(models.TextChoices):
        REPORTER = "reporter", _("Reporter reminded")
        COUNTY = "county", _("County staff told")

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("period"), max_length=6)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["village", "period", "stage"], name="al_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.period} {self.stage}"
