"""企业亮灯日 light-up day: an enterprise's milestone celebrated on the city's public screens.

A celebration is requested (by staff or the enterprise), then approved or declined by a
dispatcher or leader with the decision on record (``enterprises.services.celebrations``). Each
screen shows at most ``CELEBRATIONS_PER_SCREEN_PER_DAY`` approved celebrations a day; the kiosk
page of a screen (``/screens/<slug>/``) rotates the ones approved for today.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models.directory import verified_enterprise_ids
from portal.models import DecidedRequest, Role
from portal.scoping import ScopedQuerySet, any_of

# The text a screen shows: short enough for a large font on a street-side display.
SCREEN_TEXT_MIN = 4
SCREEN_TEXT_MAX = 60
# A celebration runs for at most this many days.
MAX_DAYS = 14


class ScreenOrientation(models.TextChoices):
    LANDSCAPE = "landscape", _("Landscape")
    PORTRAIT = "portrait", _("Portrait")


class ScreenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Screen(models.Model):
    """A public screen (市行政中心, 机场, 高铁站…) that shows approved celebrations."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address name"), max_length=50, unique=True)
    location = models.CharField(_("location"), max_length=200)
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=ScreenOrientation.choices,
        default=ScreenOrientation.LANDSCAPE,
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = ScreenQuerySet.as_manager()

    class Meta:
        verbose_name = _("public screen")
        verbose_name_plural = _("public screens")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orientation__in=ScreenOrientation.values),
                name="screen_orientation_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("screen-kiosk", args=[self.slug])


class CelebrationKind(models.TextChoices):
    LISTING = "listing", _("Listing")
    INVESTMENT = "investment", _("Major investment")
    AWARD = "award", _("Award")
    ANNIVERSARY = "anniversary", _("Anniversary")
    OTHER = "other", _("Other milestone")


class CelebrationStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class CelebrationQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """Dispatchers, leaders and admins see every celebration; an entrepreneur sees their
        enterprises' own; government departments and county staff see the approved ones
        (they are public)."""
        own = None
        if user.has_role(Role.ENTREPRENEUR):
            own = Q(enterprise_id__in=verified_enterprise_ids(user))
        public = None
        if user.has_role(Role.HANDLER, Role.DEPARTMENT_HEAD, Role.COUNTY_STAFF):
            public = Q(status=CelebrationStatus.APPROVED)
        return any_of(own, public)

    def approved(self):
        return self.filter(status=CelebrationStatus.APPROVED)

    def on_day(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


def celebration_image_path(instance: "Celebration", filename: str) -> str:
    # The stored name is random; the kind of file was checked by its content.
    return f"celebrations/{timezone.now():%Y/%m}/{instance.image_token}"


class Celebration(DecidedRequest):
    """One enterprise milestone on chosen screens for a few days, once approved
    (``portal``'s ``DecidedRequest``: requested, then approved or declined)."""

    pending_value = CelebrationStatus.REQUESTED

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="celebrations",
        db_index=False,  # led by the index celebration_by_enterprise
    )
    kind = models.CharField(_("milestone"), max_length=12, choices=CelebrationKind.choices)
    screen_text = models.CharField(_("text on the screens"), max_length=SCREEN_TEXT_MAX)
    image = models.FileField(
        _("image"), upload_to=celebration_image_path, max_length=200, blank=True
    )
    image_token = models.CharField(max_length=32, blank=True, editable=False)
    image_type = models.CharField(_("image type"), max_length=30, blank=True, editable=False)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    screens = models.ManyToManyField(Screen, verbose_name=_("screens"), related_name="celebrations")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CelebrationStatus.choices,
        default=CelebrationStatus.REQUESTED,
    )

    objects = CelebrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("celebration (企业亮灯日)")
        verbose_name_plural = _("celebrations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CelebrationKind.values), name="celebration_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CelebrationStatus.values), name="celebration_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="celebration_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("screen_text"), SCREEN_TEXT_MIN)
                & LessThanOrEqual(Length("screen_text"), SCREEN_TEXT_MAX),
                name="celebration_screen_text_length",
            ),
            # The decision is on record: who and when, and a declined one says why.
            models.CheckConstraint(
                condition=Q(status=CelebrationStatus.REQUESTED)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="celebration_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=CelebrationStatus.DECLINED) | ~Q(decision_note=""),
                name="celebration_decline_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["ends_on", "starts_on"],
                condition=Q(status="approved"),
                name="celebration_approved_days",
            ),
            models.Index(
                fields=["requested_at"],
                condition=Q(status="requested"),
                name="celebration_request_queue",
            ),
            models.Index(fields=["enterprise", "-starts_on"], name="celebration_by_enterprise"),
        ]

    def __str__(self) -> str:
        return self.screen_text

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("enterprises:celebration-detail", args=[self.pk])

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
