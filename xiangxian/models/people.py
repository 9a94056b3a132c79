"""People of the registry: a xiangxian (新乡贤), the sectors they work in, and merges of two
records found to be one person."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile, mask_resident_id
from portal.models import Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet

# Where the registry's city is: a person living anywhere else lives away (寓外).
HOME_PROVINCE = "浙江省"
HOME_CITY_NAMES = ("衢州市", "衢州")

# Province-level divisions, as a person's place of residence is written.
PROVINCES = (
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
)

# The roles of the united-front department that see the whole registry.
CITY_REGISTRY_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
# Everyone who works with the registry: county staff see their county's part of it.
REGISTRY_ROLES = (*CITY_REGISTRY_ROLES, Role.COUNTY_STAFF)


def in_home_counties_q(user, prefix: str = "") -> Q | None:
    """People whose hometown lies in a county where ``user`` is county staff."""
    return within_q(f"{prefix}hometown", user.region_codes(Role.COUNTY_STAFF))


class Sector(models.Model):
    """The field a xiangxian works in (医卫, 商界, 科教 …); administrators keep the list."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sector (领域)")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Referral(models.TextChoices):
    """How the department came to know the person."""

    CHAMBER = "chamber", _("Chamber of commerce (商会)")
    ASSOCIATION = "association", _("Xiangxian association (乡贤会)")
    VILLAGE = "village", _("Village (村)")
    SELF = "self", _("Self-referred (自荐)")
    ONLINE = "online", _("Online (线上)")


class XiangxianQuerySet(ScopedQuerySet):
    """The department's staff, leaders and administrators see the whole registry, county staff
    the people whose hometown is in their county; nobody else sees any of it. Merged-away
    records are left out (they live on in their target)."""

    city_wide_roles = CITY_REGISTRY_ROLES

    def city_wide(self, user):
        return self.current()

    def scope_q(self, user):
        in_county = in_home_counties_q(user)
        return None if in_county is None else in_county & Q(merged_into__isnull=True)

    def current(self):
        return self.filter(merged_into__isnull=True)


def _lives_away() -> models.Expression:
    """寓外: abroad, or in China outside the city. Computed by the database from where the
    person lives, so it can never be typed wrong and is indexed for screening."""
    at_home = (
        Q(abroad="") & Q(residence_province=HOME_PROVINCE) & Q(residence_city__in=HOME_CITY_NAMES)
    )
    return models.Case(
        models.When(at_home, then=models.Value(False)),
        default=models.Value(True),
        output_field=models.BooleanField(),
    )


class Xiangxian(models.Model):
    """A person with roots in the city (新乡贤), wherever they live now."""

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    hometown = models.ForeignKey(
        "portal.Region",
        verbose_name=_("hometown"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Down to the village where known."),
    )
    residence_province = models.CharField(
        _("province lived in"),
        max_length=20,
        blank=True,
        choices=[(name, name) for name in PROVINCES],
    )
    residence_city = models.CharField(_("city lived in"), max_length=50, blank=True)
    abroad = models.CharField(
        _("country or region abroad"),
        max_length=50,
        blank=True,
        help_text=_("Only for people living outside China; leave the province empty then."),
    )
    away = models.GeneratedField(
        expression=_lives_away(),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("lives away (寓外)"),
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="people"
    )
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    honours = models.CharField(
        _("honours"), max_length=200, blank=True, help_text=_("For example 院士, 国医大师.")
    )
    phone = EncryptedCharField(
        _("mobile number"),
        blank=True,
        default="",
        blind_index_field="phone_hash",
        normalizer="portal.validators.normalize_mobile",
    )
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedCharField(
        _("resident ID number"),
        blank=True,
        default="",
        blind_index_field="id_number_hash",
        normalizer="portal.validators.normalize_resident_id",
    )
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    referral = models.CharField(
        _("referred by"), max_length=12, choices=Referral.choices, blank=True
    )
    is_key = models.BooleanField(_("key person (重点人士)"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # The person's own sign-in, when they have one: invitations and changes reach them through
    # the portal's notifications (e-mail if they chose it); without one, a text to their mobile.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="xiangxian",
    )
    # A record found to be the same person as another: it stays, pointing at the one kept,
    # so that the merge can be undone.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
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
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # Optimistic concurrency: an edit based on an older version is refused, not lost.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = XiangxianQuerySet.as_manager()

    class Meta:
        verbose_name = _("xiangxian (新乡贤)")
        verbose_name_plural = _("xiangxian")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["sector", "name"], name="xiangxian_sector_name"),
            models.Index(fields=["hometown", "name"], name="xiangxian_hometown_name"),
            models.Index(
                fields=["name", "birth_year"],
                name="xiangxian_name_birth",
                condition=Q(merged_into__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(abroad="") | Q(residence_province="", residence_city=""),
                name="xiangxian_abroad_or_in_china",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="xiangxian_not_merged_into_self"
            ),
            # One current record per ID number (merged-away records keep theirs for the undo).
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=Q(merged_into__isnull=True) & ~Q(id_number_hash=""),
                name="xiangxian_one_current_per_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""

    @property
    def residence(self) -> str:
        """Where the person lives now, as written on their card."""
        return residence_text(self.residence_province, self.residence_city, self.abroad)


def residence_text(province: str, city: str, abroad: str) -> str:
    """Where someone lives, as pages and exports write it: the country abroad, else province
    and city (a municipality once: 上海市, not 上海市上海市)."""
    if abroad:
        return abroad
    return province + (city if city != province else "")


class XiangxianMerge(models.Model):
    """Two records found to be one person: ``source`` was folded into ``target``. ``moved``
    lists the linked rows moved, per model, so the merge can be undone exactly."""

    source = models.ForeignKey(
        Xiangxian, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Xiangxian, verbose_name=_("record kept"), on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(_("linked records moved"), default=dict, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge of xiangxian records")
        verbose_name_plural = _("merges of xiangxian records")
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="xiangxian_merge_two_records"
            ),
            # A record is merged away once at a time.
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(undone_at__isnull=True),
                name="xiangxian_merge_one_open_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"
