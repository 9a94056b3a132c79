"""Grassroots units (基层单位) in the six domains, each with its person in charge."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile
from portal.models import Region, Role
from portal.regions import significant_prefix, within_q
from portal.scoping import ScopedQuerySet, any_of
from portal.validators import validate_mobile

# The office: sees every unit (dispatchers and administrators also change them).
CITY_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
EDITOR_ROLES = (Role.DISPATCHER, Role.ADMIN)
# Everyone who works with the units: county staff their county's, a unit lead their own.
READER_ROLES = (*CITY_ROLES, Role.COUNTY_STAFF, Role.UNIT_LEAD)


class Domain(models.TextChoices):
    TOWNSHIP = "township", _("Township or street (乡镇/街道)")
    COMMUNITY = "community", _("Community (社区)")
    PARK = "park", _("Park (园区)")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise (国企)")
    BUILDING = "building", _("Office building (楼宇)")
    SOCIAL_ORG = "social_org", _("Social organisation (社会组织)")


class UnitQuerySet(ScopedQuerySet):
    """The office sees every unit; county staff the units of their county; the person in
    charge of a unit that unit; nobody else any."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        return any_of(
            within_q("county", user.region_codes(Role.COUNTY_STAFF)),
            Q(in_charge=user) if user.has_role(Role.UNIT_LEAD) else None,
        )

    def active(self):
        return self.filter(active=True)


def county_of(region: Region | None) -> Region | None:
    """The county (区县) a region lies in (itself when it is one); one query at most."""
    if region is None:
        return None
    if region.level == Region.Level.COUNTY:
        return region
    if region.level in (Region.Level.TOWNSHIP, Region.Level.VILLAGE):
        prefix = significant_prefix(region.code)[:6]
        return Region.objects.filter(code=prefix + "000000", level=Region.Level.COUNTY).first()
    return None


class Unit(models.Model):
    """A grassroots unit (基层单位): a township or street, a community, a park, a state
    enterprise, an office building or a social organisation."""

    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # Derived from ``region`` on save: the county the unit is scoped and ranked by.
    county = models.ForeignKey(
        "portal.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person in charge (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grassroots_units",
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(
        _("contact mobile number"),
        blank=True,
        default="",
        blind_index_field="contact_phone_hash",
        normalizer="portal.validators.normalize_mobile",
        validators=[validate_mobile],
    )
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("grassroots unit (基层单位)")
        verbose_name_plural = _("grassroots units")
        ordering = ["county__code", "domain", "name", "pk"]
        indexes = [
            models.Index(fields=["domain", "name"], name="grassroots_unit_domain_name"),
            models.Index(fields=["county", "domain"], name="grassroots_unit_county"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values), name="grassroots_unit_domain_valid"
            ),
            models.UniqueConstraint(
                fields=["county", "domain", "name"], name="grassroots_unit_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The county follows the region, so scoping and ranking never disagree with it.
        county = county_of(self.region) if self.region_id else None
        if county is None:
            raise ValueError("A unit's region must lie in a county.")
        self.county = county
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.contact_phone)
