"""The typical-case library (典型案例): cases drafted and recommended by a county, published by
the office; once published every staff role reads them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.models.units import Domain, county_of
from portal.models import Role, StoredFile
from portal.regions import within_q
from portal.scoping import ScopedQuerySet, any_of

# Who publishes (and edits any case): the office.
CASE_OFFICE = (Role.DISPATCHER, Role.ADMIN)
# Who sees every case, drafts too: the office and leaders.
CASE_CITY = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
# Every staff role reads a published case; entrepreneurs never do.
CASE_READERS = tuple(role for role in Role.values if role != Role.ENTREPRENEUR)


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECOMMENDED = "recommended", _("Recommended")
    PUBLISHED = "published", _("Published")


class TypicalCaseQuerySet(ScopedQuerySet):
    """The office and leaders see every case; county staff their county's at any status;
    every other staff role the published ones."""

    city_wide_roles = CASE_CITY

    def scope_q(self, user):
        published = Q(status=CaseStatus.PUBLISHED) if user.has_role(*CASE_READERS) else None
        return any_of(within_q("county", user.region_codes(Role.COUNTY_STAFF)), published)


class TypicalCase(models.Model):
    """A typical case (典型案例) of grassroots united-front work."""

    title = models.CharField(_("title"), max_length=120)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    region = models.ForeignKey(
        "portal.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # Derived from ``region``: the county that drafts and recommends the case.
    county = models.ForeignKey(
        "portal.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("text"), max_length=20000)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    units = models.ManyToManyField(
        "grassroots.Unit", verbose_name=_("units involved"), related_name="cases", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = TypicalCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("typical case (典型案例)")
        verbose_name_plural = _("typical cases")
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "domain"], name="grassroots_case_status"),
            models.Index(fields=["county", "status"], name="grassroots_case_county"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="grassroots_case_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="grassroots_case_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        county = county_of(self.region) if self.region_id else None
        if county is None:
            raise ValueError("A case's region must lie in a county.")
        self.county = county
        super().save(*args, **kwargs)


class CaseReference(models.Model):
    """A person involved in a case, kept as a reference another app resolves through the
    portal (``portal.registry.register_reference``): kind such as ``xiangxian.person``, and id."""

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(_("kind"), max_length=40)
    ref_id = models.PositiveBigIntegerField(_("id"))

    class Meta:
        verbose_name = _("person involved")
        verbose_name_plural = _("people involved")
        ordering = ["kind", "ref_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "ref_id"], name="grassroots_case_reference_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref_id}"


class CasePhoto(StoredFile):
    """A photo of a case (checked like an appeal's files), served only through the case's
    scoped view."""

    storage_folder = "grassroots"

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="photos")

    class Meta(StoredFile.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
