"""Leaders' ties to counties (部领导挂联) and their weekly supervision visits (督导), each with
follow-up items that an owner closes with a note."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.models.units import CITY_ROLES
from portal.models import Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of

# Who records visits: leaders (their own) and the office (dispatchers and administrators).
VISIT_RECORDERS = (Role.LEADER, Role.DISPATCHER, Role.ADMIN)
# Who manages the ties and edits any visit.
VISIT_OFFICE = (Role.DISPATCHER, Role.ADMIN)
# Who reads visits at all (county staff their county's, unit leads the visits to their units).
VISIT_READERS = (*CITY_ROLES, Role.COUNTY_STAFF, Role.UNIT_LEAD)


class LeaderTieQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(ends_on__isnull=True)


class LeaderTie(models.Model):
    """A department leader tied to one county (部领导挂联), from one day until another."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="grassroots_ties",
    )
    county = models.ForeignKey(
        "portal.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = LeaderTieQuerySet.as_manager()

    class Meta:
        verbose_name = _("leader's tie to a county (部领导挂联)")
        verbose_name_plural = _("leaders' ties to counties")
        ordering = ["county__code", "-starts_on", "pk"]
        constraints = [
            # One current county per leader.
            models.UniqueConstraint(
                fields=["leader"],
                condition=Q(ends_on__isnull=True),
                name="grassroots_tie_one_current",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="grassroots_tie_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} → {self.county}"


class VisitQuerySet(ScopedQuerySet):
    """The office and leaders see every visit; county staff their county's; a unit's person in
    charge the visits to their units."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        to_units = None
        if user.has_role(Role.UNIT_LEAD):
            to_units = Q(
                pk__in=Visit.units.through.objects.filter(unit__in_charge=user).values("visit_id")
            )
        return any_of(within_q("county", user.region_codes(Role.COUNTY_STAFF)), to_units)


class Visit(models.Model):
    """A supervision visit (督导) of a leader to a county: the units visited and what was
    found; what must follow is in its follow-up items."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        related_name="grassroots_visits",
    )
    county = models.ForeignKey(
        "portal.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("date of the visit"))
    units = models.ManyToManyField(
        "grassroots.Unit", verbose_name=_("units visited"), related_name="visits", blank=True
    )
    findings = models.TextField(_("findings"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # Two people editing at once: the second save, based on an older version, is refused.
    version = models.PositiveIntegerField(default=1)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision visit (督导)")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["county", "visited_on"], name="grassroots_visit_county_day"),
            models.Index(fields=["leader", "visited_on"], name="grassroots_visit_leader_day"),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.visited_on:%Y-%m-%d}"


class FollowUp(models.Model):
    """A follow-up item of a visit (督导整改事项): who owns it, when it is due (a number of
    working days after the visit, on the portal's calendar), and how it was closed."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("follow-up item"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="grassroots_follow_ups",
    )
    due_in_days = models.PositiveSmallIntegerField(_("due in working days"))
    due_on = models.DateField(_("due on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    close_note = models.TextField(_("closing note"), blank=True, max_length=2000)
    # Set when the owner was reminded that the item is overdue (once).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["due_on", "pk"]
        indexes = [
            # The reminder sweep reads only open, unreminded items past their day.
            models.Index(
                fields=["due_on"],
                name="grassroots_followup_due_open",
                condition=Q(closed_at__isnull=True, reminded_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_by__isnull=False),
                name="grassroots_followup_closed_by",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def closed_on(self):
        from django.utils import timezone

        return timezone.localdate(self.closed_at) if self.closed_at else None

    def is_overdue(self, today) -> bool:
        return self.closed_at is None and self.due_on < today
