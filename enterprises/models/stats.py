"""The daily roll-up behind the figures (DESIGN §3 and §6), so that a year of a province's
appeals is summed from a few thousand rows instead of counted from hundreds of thousands.

It is derived data, always rebuilt from the appeals (``enterprises.services.stats``), never
edited. ``AppealStatsRollup`` holds counts per day of acceptance (or per whole month) and
dimension; ``AppealStatsDay`` says which days were built; ``AppealStatsMark`` says which built
days changed since. The figures read the roll-up for built, unmarked days and count the others
live, so a number is never stale (``enterprises.selectors.stats``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Handling times of 0 to HISTOGRAM_DAYS - 1 working days are counted per value (``days_00`` …),
# longer ones together (``days_over``): the exact median is read off the summed histogram.
HISTOGRAM_DAYS = 60
HISTOGRAM = tuple(f"days_{n:02d}" for n in range(HISTOGRAM_DAYS))

# Appeal-level counts, at the appeal's lead department (the buckets of the same names).
APPEAL_COUNTS = (
    "accepted",
    "closed",
    "closed_on_time",
    "closed_on_time_extended",
    "closed_late",
    "rated",
    "satisfied",
    "callbacks",
    "callback_satisfied",
    "replied",
    "rehandled",
)
ROUTING_BUCKETS = ("assignments", "sign_due", "signed_in_time", "disputed")
# Routing counts at the department routed to: routings, and the distinct appeals behind them.
ROUTING_COUNTS = (*ROUTING_BUCKETS, *(f"{name}_appeals" for name in ROUTING_BUCKETS))
# Appeals with at least one routing in the bucket, whichever department it went to (at the
# appeal's lead department): what the total and the non-department groupings count.
ROUTING_ANY = tuple(f"{name}_appeals_any" for name in ROUTING_BUCKETS)
HANDLING = ("handling_days_sum", *HISTOGRAM, "days_over")
COUNT_COLUMNS = (*APPEAL_COUNTS, *ROUTING_ANY, *ROUTING_COUNTS, *HANDLING)


def _dimension(model: str, *, null: bool):
    # Derived rows: no constraint and no index of their own (the roll-up is read by day).
    return models.ForeignKey(
        model,
        null=null,
        blank=null,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class AppealStatsRollup(models.Model):
    """Counts of the appeals accepted on one day (Asia/Shanghai), or in one whole month, with
    one lead department, category, county, source and dialogue session.

    Appeal counts belong to the lead department in force, routing counts to the department
    routed to (as in the figures); a row may carry either or both. ``sign_due`` counts only
    routings signed, or returned after their sign-for day: those still unsigned past it depend
    on the day they are read, and are counted live, like overdue appeals.
    """

    day = models.DateField(_("day of acceptance"))
    whole_month = models.BooleanField(
        _("whole month"), default=False, help_text=_("The row sums the month starting on day.")
    )
    department = _dimension("portal.Department", null=True)
    category = _dimension("enterprises.AppealCategory", null=False)
    county = _dimension("portal.Region", null=True)
    source = models.CharField(_("source"), max_length=10)
    session = _dimension("enterprises.DialogueSession", null=True)

    class Meta:
        verbose_name = _("figures roll-up (统计汇总)")
        verbose_name_plural = _("figures roll-up")
        indexes = [models.Index(fields=["whole_month", "day"], name="stats_rollup_by_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m}" if self.whole_month else self.day.isoformat()


for _name in COUNT_COLUMNS:
    _field = models.BigIntegerField if _name == "handling_days_sum" else models.IntegerField
    AppealStatsRollup.add_to_class(_name, _field(default=0))
del _name, _field


class AppealStatsDay(models.Model):
    """A day of acceptance whose roll-up rows have been built. A day without this row was never
    built: the figures count its appeals live."""

    day = models.DateField(_("day of acceptance"), primary_key=True)
    built_at = models.DateTimeField(_("built at"))

    class Meta:
        verbose_name = _("figures roll-up day")
        verbose_name_plural = _("figures roll-up days")

    def __str__(self) -> str:
        return self.day.isoformat()


class AppealStatsMark(models.Model):
    """An appeal accepted on ``day`` changed: that day's roll-up rows are out of date until the
    next rebuild, and the figures count the day live meanwhile.

    Append-only, one row per change, so that marking never waits for a lock; a rebuild deletes
    exactly the marks it saw before it read the appeals, and a change made during the rebuild
    leaves its own mark behind.
    """

    day = models.DateField(_("day of acceptance"), db_index=True)

    class Meta:
        verbose_name = _("figures roll-up change")
        verbose_name_plural = _("figures roll-up changes")

    def __str__(self) -> str:
        return self.day.isoformat()


class AppealTally(models.Model):
    """How many appeals there are in each status and lead department, so that a list of every
    appeal, or of a department's, need not count 10^5–10^6 rows to say how long it is.

    PostgreSQL writes the rows, not Django: statement triggers on the appeal table (migration
    0010) add one row per (status, lead department) an ``INSERT``, ``UPDATE`` or ``DELETE``
    changed, with the change in its count, in the same transaction, so the sum of ``delta`` is
    exactly the number of such appeals that the reader's snapshot sees. Concurrent writers
    only append, so they never wait on each other; ``compact_tally`` folds the rows into one
    per pair every minute. Elsewhere (SQLite) nothing is written and lists count.
    """

    status = models.CharField(max_length=12)
    # Derived data: no foreign key to check (a department with appeals cannot be deleted).
    lead_department = models.ForeignKey(
        "portal.Department",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    delta = models.BigIntegerField()

    class Meta:
        verbose_name = _("appeal tally")
        verbose_name_plural = _("appeal tallies")

    def __str__(self) -> str:
        return f"{self.status} {self.lead_department_id} {self.delta:+d}"
