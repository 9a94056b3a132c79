"""Duty lists (职责清单) as configuration, and the duty records units keep against them.

A list belongs to a domain and optionally to one county: a unit's items come from its county's
list for its domain where one is active, else from the city-wide one (``county`` empty)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.models.units import CITY_ROLES, Domain, Unit
from portal.scoping import ScopedQuerySet


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


def item_period(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year of ``frequency`` that holds ``day``: (first day, last day)."""
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
    elif frequency == Frequency.QUARTERLY:
        start = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        following = (start + dt.timedelta(days=95)).replace(day=1)
    else:
        start = dt.date(day.year, 1, 1)
        following = dt.date(day.year + 1, 1, 1)
    return start, following - dt.timedelta(days=1)


def item_periods(frequency: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The item periods that lie wholly within [start, end], in order."""
    periods, day = [], start
    while day <= end:
        first, last = item_period(frequency, day)
        if first >= start and last <= end:
            periods.append((first, last))
        day = last + dt.timedelta(days=1)
    return periods


def period_label(frequency: str, first: dt.date) -> str:
    if frequency == Frequency.MONTHLY:
        return first.strftime("%Y-%m")
    if frequency == Frequency.QUARTERLY:
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    return str(first.year)


class DutyList(models.Model):
    """The duties of one domain's units (e.g. 江山's 1241 一图一表一规程 for townships)."""

    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        "portal.Region",
        verbose_name=_("county (empty: the whole city)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": 3},
    )
    year = models.PositiveSmallIntegerField(_("in force from year"))
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("duty list (职责清单)")
        verbose_name_plural = _("duty lists")
        ordering = ["domain", "county__code", "-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="grassroots_dutylist_domain_valid"
            ),
            models.UniqueConstraint(
                fields=["domain", "county"],
                condition=Q(active=True, county__isnull=False),
                name="grassroots_dutylist_one_active_per_county",
            ),
            models.UniqueConstraint(
                fields=["domain"],
                condition=Q(active=True, county__isnull=True),
                name="grassroots_dutylist_one_active_citywide",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.county_id and self.county.level != 3:
            raise ValidationError({"county": _("Choose a county.")})
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


class DutyItem(models.Model):
    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("duty list"), on_delete=models.CASCADE, related_name="items"
    )
    title = models.CharField(_("duty"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    evidence_required = models.CharField(_("evidence required"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        ordering = ["duty_list", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="grassroots_dutyitem_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class UnitScopedQuerySet(ScopedQuerySet):
    """Rows about a unit: seen by whoever sees the unit."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        scope = Unit.objects.all().scope_q(user)
        if scope is None:
            return None
        return Q(unit__in=Unit.objects.filter(scope).values("pk"))


class DutyRecord(models.Model):
    """A unit did one duty item on a day (履职记录), with its evidence as attachments."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="duty_records"
    )
    item = models.ForeignKey(
        DutyItem, verbose_name=_("duty"), on_delete=models.PROTECT, related_name="records"
    )
    done_on = models.DateField(_("done on"))
    what = models.TextField(_("what was done"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty record (履职记录)")
        verbose_name_plural = _("duty records")
        ordering = ["-done_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "item", "done_on"], name="grassroots_record_unit_item"),
            models.Index(fields=["unit", "done_on"], name="grassroots_record_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.item} · {self.done_on}"
