from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import DecidedRequest, Role
from portal.models.users import CITY_ROLES, DEPARTMENT_ROLES
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of
from portal.validators import validate_uscc


class IndustryChain(models.Model):
    """One of the city's industry chains (产业链), e.g. 化工新材料; admins keep the list."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("industry chain (产业链)")
        verbose_name_plural = _("industry chains")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class ListingStatus(models.TextChoices):
    UNLISTED = "unlisted", _("Not listed")
    PREPARING = "preparing", _("Preparing to list")
    LISTED = "listed", _("Listed")


def verified_enterprise_ids(user) -> models.QuerySet:
    """The enterprises ``user`` acts for: their verified memberships (a subquery)."""
    return Membership.objects.filter(user=user, status=Membership.Status.VERIFIED).values(
        "enterprise_id"
    )


def in_counties_q(user, prefix: str = "") -> Q | None:
    """Enterprises placed in a county where ``user`` is county staff (at it or below)."""
    return within_q(f"{prefix}region", user.region_codes(Role.COUNTY_STAFF))


class EnterpriseQuerySet(ScopedQuerySet):
    # Government departments look enterprises up when they handle their appeals.
    city_wide_roles = (*CITY_ROLES, *DEPARTMENT_ROLES)

    def scope_q(self, user):
        """An entrepreneur sees the enterprises they are a verified member of; county staff
        the enterprises of their county."""
        return any_of(
            Q(pk__in=verified_enterprise_ids(user)) if user.has_role(Role.ENTREPRENEUR) else None,
            in_counties_q(user),
        )


class Enterprise(models.Model):
    """An enterprise registered in the city, identified by its unified social credit code."""

    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "portal.Region",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry_chain = models.ForeignKey(
        IndustryChain,
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    listing_status = models.CharField(
        _("listing status"),
        max_length=10,
        choices=ListingStatus.choices,
        default=ListingStatus.UNLISTED,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(uscc__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                name="enterprise_uscc_charset",
            ),
            models.CheckConstraint(
                condition=models.Q(size__in=["", *EnterpriseSize.values]),
                name="enterprise_size_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(listing_status__in=ListingStatus.values),
                name="enterprise_listing_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["region", "name"], name="enterprise_by_region")]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """The office sees every membership; everyone else only their own."""
        return Q(user=user)

    def verified(self):
        return self.filter(status=Membership.Status.VERIFIED)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)


class Membership(DecidedRequest):
    """An entrepreneur's claim to act for an enterprise; it counts only once a dispatcher verifies
    it (``portal``'s ``DecidedRequest``: the entrepreneur asks, a dispatcher decides)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise membership")
        verbose_name_plural = _("enterprise memberships")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="membership_decision_recorded",
            ),
        ]
        indexes = [
            models.Index(
                fields=["requested_at"],
                condition=models.Q(status="pending"),
                name="membership_pending_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"

    # The entrepreneur asks for themself: no column of its own.
    @property
    def requested_by(self):
        return self.user
