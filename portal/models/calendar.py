from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official holiday and make-up workday arrangement is in the table.

    Working-day arithmetic trusts only years listed here; any other year falls back to
    "Monday to Friday" and raises a warning, because the State Council publishes each year's
    arrangement only in the November before.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a public holiday or a make-up workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (weekday off)")
        WORKDAY = "workday", _("make-up workday (weekend on)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holiday calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()
