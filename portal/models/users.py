from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile
from portal.models.regions import Region


class Role(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
    COUNTY_STAFF = "county_staff", _("County united-front staff (区县统战干部)")
    VILLAGE_REPORTER = "village_reporter", _("Village reporter")
    # A cadre of the united-front office linked to non-party people (联络干部): their scope is
    # the people linked to them, which the app that keeps the links states (no grant scope).
    LIAISON = "liaison", _("Liaison cadre (联络干部)")
    # The person in charge of a grassroots unit (基层单位负责人): logs in only for the unit's
    # duty records; the scope is the units naming them in charge, which the app states.
    UNIT_LEAD = "unit_lead", _("Grassroots unit lead (基层单位负责人)")


# Roles that belong to a government department and must name it.
DEPARTMENT_ROLES = (Role.HANDLER, Role.DEPARTMENT_HEAD)
# Roles of the united-front department's own staff, who see every appeal.
STAFF_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
# The city-wide office roles: no scope, they see every row of every app.
CITY_ROLES = STAFF_ROLES
# Roles scoped to a region: a county's staff, a village's reporter.
REGION_ROLES = {Role.COUNTY_STAFF: Region.Level.COUNTY, Role.VILLAGE_REPORTER: Region.Level.VILLAGE}


@dataclass(frozen=True)
class Grant:
    """One role a user holds and where: a department, a region, or (``None``) the whole city.
    An entrepreneur's enterprises are their verified memberships, not part of the grant."""

    role: str
    department_id: int | None = None
    region_id: int | None = None
    region_code: str = ""


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: department staff, government handlers, leaders or entrepreneurs."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=50, blank=True)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    mobile = EncryptedCharField(
        _("mobile number"),
        blank=True,
        default="",
        blind_index_field="mobile_hash",
        normalizer="portal.validators.normalize_mobile",
    )
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Who gets told: the dispatchers, a department's handlers or head, among 10^5
        # entrepreneurs' accounts.
        indexes = [models.Index(fields=["role", "department"], name="user_by_role")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=DEPARTMENT_ROLES) | models.Q(department__isnull=False),
                name="user_department_role_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_entrepreneur(self) -> bool:
        return self.role == Role.ENTREPRENEUR

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles`` in any grant (a superuser holds them all)."""
        if not self.is_authenticated:
            return False
        if self.is_superuser or self.role in roles:
            return True
        return any(grant.role in roles for grant in self.grants)

    @cached_property
    def grants(self) -> tuple[Grant, ...]:
        """Every grant: the primary role (``role`` with ``department``) and the ``RoleGrant``
        rows, read once per user object (one query, none for the city-wide office roles'
        scoping, which stops at the primary role)."""
        primary = []
        if self.role and self.role not in REGION_ROLES:
            department = self.department_id if self.role in DEPARTMENT_ROLES else None
            primary.append(Grant(self.role, department_id=department))
        extra = []
        if self.pk is not None:
            extra = [grant.as_grant() for grant in self.role_grants.select_related("region")]
        return tuple(dict.fromkeys(primary + extra))

    def department_ids(self, *roles: str) -> set[int]:
        """The departments in which the user holds one of ``roles`` (default: any role)."""
        return {
            grant.department_id
            for grant in self.grants
            if grant.department_id and (not roles or grant.role in roles)
        }

    def region_ids(self, *roles: str) -> set[int]:
        """The regions (counties, villages) in which the user holds one of ``roles``."""
        return {
            grant.region_id
            for grant in self.grants
            if grant.region_id and (not roles or grant.role in roles)
        }

    def region_codes(self, *roles: str) -> list[str]:
        """The 12-digit codes of those regions, in order."""
        return sorted(
            {
                grant.region_code
                for grant in self.grants
                if grant.region_code and (not roles or grant.role in roles)
            }
        )

    @property
    def is_city_wide(self) -> bool:
        """A superuser or a holder of a city-wide office role: sees every row."""
        return self.has_role(*CITY_ROLES)


class RoleGrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Grants are managed by administrators; everyone may read their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_role(Role.ADMIN):
            return self
        return self.filter(user=user)


class RoleGrant(models.Model):
    """A role a user holds besides (or as the scope of) their primary one: a second department,
    a county for county staff, a village for its reporter, an office role. Granted and revoked
    through ``portal.services.grants`` (audited)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["user_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="role_grant_role_valid"
            ),
            # A department role names its department and nothing else; a region role its
            # region; the other roles have no scope.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=DEPARTMENT_ROLES, department__isnull=False, region__isnull=True
                    )
                    | models.Q(
                        role__in=list(REGION_ROLES), department__isnull=True, region__isnull=False
                    )
                    | (
                        ~models.Q(role__in=[*DEPARTMENT_ROLES, *REGION_ROLES])
                        & models.Q(department__isnull=True, region__isnull=True)
                    )
                ),
                name="role_grant_scope_fits_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=models.Q(department__isnull=False),
                name="role_grant_unique_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(region__isnull=False),
                name="role_grant_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True, region__isnull=True),
                name="role_grant_unique_city_wide",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department or self.region
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    def as_grant(self) -> Grant:
        return Grant(
            self.role,
            department_id=self.department_id,
            region_id=self.region_id,
            region_code=self.region.code if self.region_id else "",
        )
