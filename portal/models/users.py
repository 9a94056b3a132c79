from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile


class Role(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    DISPATCHER = "dispatcher", _("Dispatcher")
    HANDLER = "handler", _("Handler")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


# Roles that belong to a government department and must name it.
DEPARTMENT_ROLES = (Role.HANDLER, Role.DEPARTMENT_HEAD)
# Roles of the united-front department's own staff, who see every appeal.
STAFF_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)


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
        return self.is_authenticated and (self.role in roles or self.is_superuser)
