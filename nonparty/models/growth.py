"""The growth record (成长档案): training, placements, proposals, awards and the three actions,
each dated and signed by who recorded it; a person's page shows them on one timeline."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import Person, PersonScopedQuerySet


class GrowthRecord(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    dated_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()

    # The timeline's kind and the field that says what it was.
    kind = ""

    class Meta:
        abstract = True
        ordering = ["-dated_on", "-pk"]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        raise NotImplementedError


class Training(GrowthRecord):
    kind = "training"
    course = models.CharField(_("course"), max_length=100)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    days = models.PositiveSmallIntegerField(
        _("days"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta(GrowthRecord.Meta):
        verbose_name = _("training (培训)")
        verbose_name_plural = _("training")
        indexes = [models.Index(fields=["person", "dated_on"], name="nonparty_training_person")]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        return (
            f"{self.course}（{self.organiser}，{self.days}天）" if self.organiser else self.course
        )


class PlacementKind(models.TextChoices):
    PAIRED_AID = "paired_aid", _("Paired aid (对口支援)")
    REFORM = "reform", _("Reform and innovation (改革创新)")
    PROJECT = "project", _("Project building (项目建设)")


class Placement(GrowthRecord):
    """A temporary post (挂职); ``dated_on`` is its first day."""

    kind = "placement"
    placement_kind = models.CharField(_("kind"), max_length=12, choices=PlacementKind.choices)
    post = models.CharField(_("post"), max_length=100)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta(GrowthRecord.Meta):
        verbose_name = _("placement (挂职)")
        verbose_name_plural = _("placements")
        indexes = [models.Index(fields=["person", "dated_on"], name="nonparty_placement_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("dated_on")),
                name="nonparty_placement_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        return f"{self.get_placement_kind_display()}：{self.post}"


class Channel(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal (提案)")
    SUGGESTION = "suggestion", _("Suggestion (建议)")
    SOCIAL_OPINION = "opinion", _("Social conditions report (社情民意)")


class Proposal(GrowthRecord):
    """A proposal or suggestion; ``dated_on`` is the day it was submitted."""

    kind = "proposal"
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    adopted = models.BooleanField(_("adopted"), default=False)
    adopting_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(GrowthRecord.Meta):
        verbose_name = _("proposal (提案/建议)")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["person", "dated_on"], name="nonparty_proposal_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(adopted=True) | Q(adopting_department__isnull=True),
                name="nonparty_proposal_department_only_if_adopted",
            )
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        return f"{self.get_channel_display()}：{self.title}"


class Award(GrowthRecord):
    kind = "award"
    title = models.CharField(_("award"), max_length=100)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    class Meta(GrowthRecord.Meta):
        verbose_name = _("award (荣誉)")
        verbose_name_plural = _("awards")
        indexes = [models.Index(fields=["person", "dated_on"], name="nonparty_award_person")]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        return f"{self.title}（{self.awarded_by}）" if self.awarded_by else self.title


class Action(models.TextChoices):
    """The three actions (三大行动)."""

    POST = "post", _("岗位建功我先行")
    VOICE = "voice", _("履职建言我发声")
    GROWTH = "growth", _("代表人士我成长")


class ActionParticipation(GrowthRecord):
    kind = "action"
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    title = models.CharField(_("what was done"), max_length=200)

    class Meta(GrowthRecord.Meta):
        verbose_name = _("participation in an action")
        verbose_name_plural = _("participations in the actions")
        indexes = [models.Index(fields=["person", "dated_on"], name="nonparty_action_person")]

    def __str__(self) -> str:
        return self.summary

    @property
    def summary(self) -> str:
        return f"{self.get_action_display()}：{self.title}"


GROWTH_MODELS = {
    model.kind: model for model in (Training, Placement, Proposal, Award, ActionParticipation)
}
