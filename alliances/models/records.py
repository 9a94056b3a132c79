"""What alliances build and do: village companies (强村公司), bases (基地), maker teams (创客团队),
activities, and tourism figures per period."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.models.alliances import Alliance, member_region_q
from alliances.periods import PERIOD_CODE_REGEX
from portal.models import Region
from portal.scoping import ScopedQuerySet, any_of


class _VillageRecordQuerySet(ScopedQuerySet):
    """A company or base is seen by whoever sees its alliance, and (when it belongs to none) by
    the staff of its village's county and the village's reporter."""

    def scope_q(self, user):
        return any_of(
            Q(alliance__in=Alliance.objects.visible_to(user)), member_region_q(user, "village")
        )


class _VillageRecord(models.Model):
    name = models.CharField(_("name"), max_length=100)
    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = _VillageRecordQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class VillageCompany(_VillageRecord):
    class Meta(_VillageRecord.Meta):
        verbose_name = _("village company (强村公司)")
        verbose_name_plural = _("village companies")
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="al_company_name_per_village")
        ]


class Base(_VillageRecord):
    class Meta(_VillageRecord.Meta):
        verbose_name = _("base (基地)")
        verbose_name_plural = _("bases")
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="al_base_name_per_village")
        ]


class _ByAllianceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(alliance__in=Alliance.objects.visible_to(user))


class MakerTeam(models.Model):
    """A team of young makers (创客团队) in an alliance, with what it has achieved."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="maker_teams"
    )
    name = models.CharField(_("name"), max_length=100)
    members_count = models.PositiveIntegerField(_("makers"), default=0)
    projects_landed = models.PositiveIntegerField(_("projects landed"), default=0)
    jobs_created = models.PositiveIntegerField(_("jobs created"), default=0)
    benefit_yuan = models.DecimalField(
        _("economic benefit (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )

    objects = _ByAllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("maker team (创客团队)")
        verbose_name_plural = _("maker teams")
        ordering = ["alliance", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "name"], name="al_maker_team_name_unique"),
            models.CheckConstraint(condition=Q(benefit_yuan__gte=0), name="al_maker_benefit_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    EXCHANGE = "exchange", _("Cultural exchange (文化交流)")
    FESTIVAL = "festival", _("Festival (节庆)")
    TRAINING = "training", _("Training (培训)")
    OTHER = "other", _("Other")


class Activity(models.Model):
    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.OTHER
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = _ByAllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance activity")
        verbose_name_plural = _("alliance activities")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["exchange", "festival", "training", "other"]),
                name="al_activity_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TourismFigure(models.Model):
    """Visitors and their spending in an alliance's villages over one period (2023H1, 2023)."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="tourism"
    )
    period = models.CharField(_("period"), max_length=6, help_text=_("e.g. 2023H1 or 2023"))
    visitors = models.PositiveIntegerField(_("visitors (person-times)"))
    consumption_yuan = models.DecimalField(
        _("tourist consumption (yuan)"), max_digits=14, decimal_places=2
    )

    objects = _ByAllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tourism figure")
        verbose_name_plural = _("tourism figures")
        ordering = ["alliance", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "period"], name="al_tourism_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period__regex=PERIOD_CODE_REGEX), name="al_tourism_period_code"
            ),
            models.CheckConstraint(
                condition=Q(consumption_yuan__gte=0), name="al_tourism_consumption_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.period}"
