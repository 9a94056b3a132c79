"""Yearly talk plans (年度谈心谈话): for each cadre, the people to talk with and how many times
this year, and each talk held (date, form, topics, follow-ups)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nonparty.models.people import Person, PersonScopedQuerySet


class TalkPlanQuerySet(PersonScopedQuerySet):
    def in_force(self):
        """Withdrawn people drop out of the plan (their rows stay for the record)."""
        from nonparty.models.people import Status

        return self.exclude(person__status=Status.WITHDRAWN)


class TalkQuerySet(PersonScopedQuerySet):
    person_field = "plan__person"


class TalkPlan(models.Model):
    """One person in a cadre's plan for a year: ``times`` talks planned."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison cadre"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="talk_plans"
    )
    times = models.PositiveSmallIntegerField(
        _("talks planned"), default=2, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TalkPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk plan (谈心谈话计划)")
        verbose_name_plural = _("talk plans")
        ordering = ["year", "cadre_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "person"], name="nonparty_one_plan_per_year"),
            models.CheckConstraint(condition=Q(times__gte=1), name="nonparty_plan_times_positive"),
        ]
        indexes = [models.Index(fields=["year", "cadre"], name="nonparty_plan_year_cadre")]

    def __str__(self) -> str:
        return f"{self.year} · {self.cadre} · {self.person}"


class TalkForm(models.TextChoices):
    FACE_TO_FACE = "face", _("Face to face (面谈)")
    PHONE = "phone", _("By phone (电话)")
    ONLINE = "online", _("Online (线上)")
    GROUP = "group", _("In a group (集体座谈)")


class Talk(models.Model):
    """A talk held under a plan."""

    plan = models.ForeignKey(
        TalkPlan, verbose_name=_("talk plan"), on_delete=models.CASCADE, related_name="talks"
    )
    held_on = models.DateField(_("held on"))
    form = models.CharField(_("form"), max_length=8, choices=TalkForm.choices)
    topics = models.CharField(_("topics"), max_length=200)
    follow_ups = models.TextField(_("follow-ups"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk (谈心谈话)")
        verbose_name_plural = _("talks")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["plan", "held_on"], name="nonparty_talk_plan_day")]

    def __str__(self) -> str:
        return f"{self.plan.person} · {self.held_on}"
