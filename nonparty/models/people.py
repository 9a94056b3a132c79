"""The archive of a non-party person (一人一档): the person, their education at universities of
the reference table, and their posts in 人大, 政协 and social organisations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.crypto import EncryptedCharField
from portal.masking import mask_mobile, mask_resident_id
from portal.models import Role
from portal.regions import within_q
from portal.scoping import ScopedQuerySet
from portal.validators import validate_mobile, validate_resident_id

# The office's roles: they see every person; dispatchers and administrators also change them.
CITY_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
EDITOR_ROLES = (Role.DISPATCHER, Role.ADMIN)
# Everyone who works with the archive: county staff their county's people, a liaison cadre
# the people linked to them.
ARCHIVE_ROLES = (*CITY_ROLES, Role.COUNTY_STAFF, Role.LIAISON)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Status(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate (人选)")
    RECOGNISED = "recognised", _("Recognised (已认定)")
    WITHDRAWN = "withdrawn", _("Withdrawn (已退出)")


class UnitType(models.TextChoices):
    PARTY_GOVERNMENT = "government", _("Party or government organ (党政机关)")
    PUBLIC_INSTITUTION = "institution", _("Public institution (事业单位)")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise (国有企业)")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise (民营企业)")
    SOCIAL_ORGANISATION = "social", _("Social organisation (社会组织)")
    OTHER = "other", _("Other")


class Field(models.TextChoices):
    """The field a person works in, as the batch's field mix counts them."""

    EDUCATION = "education", _("Education (教育)")
    HEALTH = "health", _("Health (医疗卫生)")
    SCIENCE = "science", _("Science and technology (科技)")
    ECONOMY = "economy", _("Economy and finance (经济金融)")
    LAW = "law", _("Law (法律)")
    CULTURE = "culture", _("Culture and media (文化传媒)")
    AGRICULTURE = "agriculture", _("Agriculture (农业)")
    OTHER = "other", _("Other")


class Degree(models.TextChoices):
    """Ordered from the lowest; ``rank`` compares them."""

    JUNIOR_COLLEGE = "junior_college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor (学士)")
    MASTER = "master", _("Master (硕士)")
    DOCTOR = "doctor", _("Doctor (博士)")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value) if value in cls.values else -1


# Degrees that count as "master's or above" in a batch's profile (when full-time).
MASTERS_OR_ABOVE = (Degree.MASTER, Degree.DOCTOR)


class PersonQuerySet(ScopedQuerySet):
    """The office sees everyone; county staff the people whose native place is in their
    county; a liaison cadre the people currently linked to them; nobody else anyone."""

    city_wide_roles = CITY_ROLES

    def scope_q(self, user):
        parts = []
        county = within_q("native_place", user.region_codes(Role.COUNTY_STAFF))
        if county is not None:
            parts.append(county)
        if user.has_role(Role.LIAISON):
            from nonparty.models.liaison import Liaison

            parts.append(Q(pk__in=Liaison.objects.current().filter(cadre=user).values("person")))
        if not parts:
            return None
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q


class PersonScopedQuerySet(ScopedQuerySet):
    """Rows about a person: seen by whoever sees the person."""

    city_wide_roles = CITY_ROLES
    person_field = "person"

    def scope_q(self, user):
        scope = Person.objects.all().scope_q(user)
        if scope is None:
            return None
        return Q(**{f"{self.person_field}__in": Person.objects.filter(scope).values("pk")})


class University(models.Model):
    """A university of the reference table; ``double_first_class`` as the published list of
    双一流 construction universities (2022, second round) says, with the disciplines it names
    for the university (``disciplines``; ``["自主确定"]`` where the university chooses them)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    double_first_class = models.BooleanField(_("双一流 university"), default=False)
    disciplines = models.JSONField(
        _("first-class disciplines (建设学科)"), default=list, blank=True
    )
    province = models.CharField(_("province"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A non-party person (无党派人士) in the archive, from candidate to recognised."""

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    native_place = models.ForeignKey(
        "portal.Region",
        verbose_name=_("native place (籍贯)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = EncryptedCharField(
        _("mobile number"),
        blank=True,
        default="",
        blind_index_field="phone_hash",
        normalizer="portal.validators.normalize_mobile",
        validators=[validate_mobile],
    )
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedCharField(
        _("resident ID number"),
        blank=True,
        default="",
        blind_index_field="id_number_hash",
        normalizer="portal.validators.normalize_resident_id",
        validators=[validate_resident_id],
    )
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    unit_type = models.CharField(
        _("type of unit"), max_length=20, choices=UnitType.choices, blank=True
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=50, blank=True)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    cv = models.TextField(_("CV (简历)"), blank=True, max_length=5000)
    photo = models.FileField(_("photo"), upload_to="nonparty/photos/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE
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
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("non-party person (无党派人士)")
        verbose_name_plural = _("non-party people")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "name"], name="nonparty_person_status_name"),
            models.Index(fields=["field", "name"], name="nonparty_person_field_name"),
            models.Index(fields=["native_place", "name"], name="nonparty_person_place_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="nonparty_person_status_valid"
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="nonparty_person_one_per_id_number",
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
    def highest_degree_label(self) -> str:
        """The label of ``highest_degree`` (annotated by ``selectors.with_row_figures``)."""
        return str(dict(Degree.choices).get(getattr(self, "highest_degree", None), ""))


class Education(models.Model):
    """One degree of a person, at a university of the reference table."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="educations"
    )
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices)
    full_time = models.BooleanField(_("full-time (全日制)"), default=True)
    university = models.ForeignKey(
        University, verbose_name=_("university"), on_delete=models.PROTECT, related_name="+"
    )
    discipline = models.CharField(_("discipline"), max_length=50, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["person_id", "graduated_on", "pk"]
        indexes = [models.Index(fields=["person", "degree"], name="nonparty_education_person")]

    def __str__(self) -> str:
        return f"{self.university} · {self.get_degree_display()}"


class Body(models.TextChoices):
    NPC = "npc", _("People's congress (人大)")
    CPPCC = "cppcc", _("CPPCC (政协)")
    SOCIAL = "social", _("Social organisation (社会组织)")


class Post(models.Model):
    """A post a person holds or held in 人大, 政协 or a social organisation, with its term."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="posts"
    )
    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    organisation = models.CharField(_("organisation"), max_length=100)
    title = models.CharField(_("post"), max_length=60)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["person_id", "-term_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="nonparty_post_term_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.title}"
