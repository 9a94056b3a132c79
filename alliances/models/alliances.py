"""An alliance (奔富联盟), its kinds and its member villages."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import Region, Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of

# Who may read alliances at all: the office city-wide, county staff for their county's, a
# village's reporter for their village's. Everyone else gets 403 on lists, 404 on objects.
READER_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.COUNTY_STAFF, Role.VILLAGE_REPORTER)
# Who writes: the office's staff and administrators (leaders read only).
EDITOR_ROLES = (Role.DISPATCHER, Role.ADMIN)


def member_region_q(user, field: str = "region") -> Q | None:
    """Memberships (or rows with a village ``field``) in ``user``'s counties or village."""
    return any_of(
        within_q(field, user.region_codes(Role.COUNTY_STAFF)),
        (
            Q(**{f"{field}_id__in": ids})
            if (ids := user.region_ids(Role.VILLAGE_REPORTER))
            else None
        ),
    )


class AllianceQuerySet(ScopedQuerySet):
    """The office sees every alliance; county staff those with a member village (now or once)
    in their county; a village's reporter those their village belongs (or belonged) to."""

    def scope_q(self, user):
        members = member_region_q(user)
        if members is None:
            return None
        return Q(pk__in=Membership.objects.filter(members).values("alliance_id"))


class Alliance(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=100, unique=True)
    founded_on = models.DateField(_("founded on"))
    lead_village = models.ForeignKey(
        Region,
        verbose_name=_("lead village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic concurrency: an edit based on an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alliance (奔富联盟)")
        verbose_name_plural = _("alliances")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended", "dissolved"]),
                name="al_alliance_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_values(self) -> list[str]:
        return sorted(k.kind for k in self.kinds.all())


# For the API schema's enum name (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
ALLIANCE_STATUSES = Alliance.Status


class Kind(models.TextChoices):
    INDUSTRY = "industry", _("Industry community (产业共同体)")
    TALENT = "talent", _("Talent community (人才共同体)")
    CULTURE = "culture", _("Culture community (文化共同体)")


class _ByAllianceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of an alliance follow the alliance's rule."""
        return self.filter(alliance__in=Alliance.objects.visible_to(user))


class AllianceKind(models.Model):
    """One of an alliance's kinds (an alliance has one or more)."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="kinds"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    objects = _ByAllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("kind of an alliance")
        verbose_name_plural = _("kinds of alliances")
        ordering = ["alliance", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind"], name="al_kind_once_per_alliance"),
            models.CheckConstraint(
                condition=Q(kind__in=["industry", "talent", "culture"]), name="al_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead village (牵头村)")
    MEMBER = "member", _("Member (成员村)")
    PARTNER = "partner", _("Partner across regions (对口协作)")


class Membership(models.Model):
    """A village in an alliance from ``joined_on`` until ``left_on`` (open while it lasts)."""

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
        limit_choices_to={"level": Region.Level.VILLAGE},
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = _ByAllianceQuerySet.as_manager()

    class Meta:
        verbose_name = _("member village of an alliance")
        verbose_name_plural = _("member villages of alliances")
        ordering = ["alliance", "region__code", "joined_on", "pk"]
        indexes = [models.Index(fields=["region", "joined_on"], name="al_member_region_joined")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="al_member_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["alliance", "region"],
                condition=Q(left_on__isnull=True),
                name="al_member_one_open_per_village",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "member", "partner"]), name="al_member_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.region}"

    def is_member_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)
