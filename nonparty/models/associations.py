"""The non-party intellectuals' association (知联会) and its president's yearly report and review
(会长述职评议): the association with its president and members, the report (text and
figures, recorded by the office on the president's behalf), the members' one-time review
links and their scores.

Anonymity lives in the rows: a ``Review`` names neither the member nor the link it came
through and carries no time or sequence (a random key), so the office sees who has responded
(``ReviewLink.used_at``) but nothing in the tables joins a member to a score.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import CITY_ROLES, Person
from portal.models import Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of


class AssociationQuerySet(ScopedQuerySet):
    """The office and leaders see every association; county staff those of their county; a
    liaison cadre those whose president or a current member is one of their people."""

    city_wide_roles = CITY_ROLES
    association_field = ""

    def _field(self, name: str) -> str:
        return f"{self.association_field}__{name}" if self.association_field else name

    def scope_q(self, user):
        county = within_q(self._field("region"), user.region_codes(Role.COUNTY_STAFF))
        liaison = None
        if user.has_role(Role.LIAISON):
            from nonparty.models.liaison import Liaison

            people = Liaison.objects.current().filter(cadre=user).values("person")
            current = AssociationMembership.objects.filter(
                left_on__isnull=True, person__in=people
            ).values("association")
            association = self.association_field or "pk"
            liaison = Q(**{f"{self._field('president')}__in": people}) | Q(
                **{f"{association}__in": current}
            )
        return any_of(county, liaison)


class ReportQuerySet(AssociationQuerySet):
    association_field = "association"


class Association(models.Model):
    """A 知联会: the city's, or a county's."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    region = models.ForeignKey(
        "portal.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    president = models.ForeignKey(
        Person,
        verbose_name=_("president (会长)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("association (知联会)")
        verbose_name_plural = _("associations")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class AssociationMembership(models.Model):
    """A person's membership of an association, from ``joined_on`` until ``left_on``."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("association member")
        verbose_name_plural = _("association members")
        ordering = ["association_id", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "person"],
                condition=Q(left_on__isnull=True),
                name="nonparty_one_current_membership",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="nonparty_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.person}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for review")
    CLOSED = "closed", _("Closed")


class Aspect(models.TextChoices):
    """What members score, 1 (poor) to 5 (excellent)."""

    DUTY = "duty", _("Performing the duties (履职尽责)")
    ACTIVITIES = "activities", _("Organising activities (组织活动)")
    CONTACT = "contact", _("Keeping in touch with members (联系会员)")


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASICALLY = "basically_satisfied", _("Basically satisfied (基本满意)")
    DISSATISFIED = "dissatisfied", _("Dissatisfied (不满意)")


class PresidentReport(models.Model):
    """The president's report of a year (会长述职), recorded by the office on their behalf."""

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    president = models.ForeignKey(
        Person, verbose_name=_("president (会长)"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("report (述职报告)"), max_length=20000)
    activities_held = models.PositiveIntegerField(_("activities held"), default=0)
    proposals_submitted = models.PositiveIntegerField(_("proposals submitted"), default=0)
    proposals_adopted = models.PositiveIntegerField(_("proposals adopted"), default=0)
    participations = models.PositiveIntegerField(_("members' participations (人次)"), default=0)
    state = models.CharField(
        _("state"), max_length=8, choices=ReportState.choices, default=ReportState.DRAFT
    )
    closes_on = models.DateField(_("review closes on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("president's report (会长述职)")
        verbose_name_plural = _("president's reports")
        ordering = ["-year", "association_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="nonparty_one_report_per_year"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReportState.values), name="nonparty_report_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(closes_on__isnull=False),
                name="nonparty_report_open_has_closing_day",
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="nonparty_report_year_state")]

    def __str__(self) -> str:
        return f"{self.association} · {self.year}"


class ReviewLinkQuerySet(ReportQuerySet):
    association_field = "report__association"


class ReviewLink(models.Model):
    """A member's one-time review link: only the token's hash is kept; ``used_at`` says that
    the member has responded (never what they said)."""

    report = models.ForeignKey(
        PresidentReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="links"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    used_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("review link")
        verbose_name_plural = _("review links")
        ordering = ["report_id", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "person"], name="nonparty_one_review_link_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.person}"


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Review(models.Model):
    """One member's scores of a report. Deliberately without the member, the link, a time or
    a sequential key: nothing in the rows ties it to whoever gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(
        PresidentReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reviews"
    )
    verdict = models.CharField(_("overall"), max_length=20, choices=Verdict.choices)
    duty = _score_field(Aspect.DUTY.label)
    activities = _score_field(Aspect.ACTIVITIES.label)
    contact = _score_field(Aspect.CONTACT.label)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("review (评议)")
        verbose_name_plural = _("reviews")
        # By the random key: the order says nothing about when a review came.
        ordering = ["report_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="nonparty_review_verdict_valid"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"nonparty_review_{name}_1_to_5",
                )
                for name in Aspect.values
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_verdict_display()}"
