"""Shapes of the registry's API: the screening's criteria, a row of the list, one person, a new
person, the figures. Checks of a person's fields are the service's (``xiangxian_clean``), so the
page, the import and the API agree; these only read the request and write the answer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.masking import mask_mobile
from portal.models import Region, Tag
from xiangxian.models import Event, Sector, Xiangxian
from xiangxian.selectors import Screening

TRUE_FALSE = [("true", "true"), ("false", "false")]


def region_by_code(code: str) -> Region | None:
    """A region by its statistical code, the trailing zeros optional (3308 is 衢州市)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) > 12:
        return None
    return Region.objects.filter(code=code.ljust(12, "0")).first()


def sector_by_key(key) -> Sector | None:
    """A sector by its id or its name."""
    key = str(key).strip()
    if key.isdigit():
        return Sector.objects.filter(pk=int(key)).first() if int(key) < 2**31 else None
    return Sector.objects.filter(name=key).first()


class ScreeningParamsSerializer(serializers.Serializer):
    """The list's query parameters, as the screening form reads them on the page."""

    sector = serializers.CharField(required=False, help_text=_("A sector's id or name."))
    tag = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        help_text=_("A tag's id; repeated, people carrying every one."),
    )
    hometown = serializers.CharField(
        required=False,
        help_text=_("A region's statistical code at any level; the people of every region in it."),
    )
    away = serializers.ChoiceField(choices=TRUE_FALSE, required=False)
    key = serializers.ChoiceField(
        choices=TRUE_FALSE, required=False, help_text=_("true: key people only.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate_sector(self, value):
        sector = sector_by_key(value)
        if sector is None:
            raise serializers.ValidationError(_("No sector has this id or name."))
        return sector

    def validate_tag(self, value):
        found = set(Tag.objects.filter(pk__in=value).values_list("pk", flat=True))
        if missing := sorted(set(value) - found):
            raise serializers.ValidationError(
                _("No tag has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))}
            )
        return value

    def validate_hometown(self, value):
        region = region_by_code(value)
        if region is None:
            raise serializers.ValidationError(_("No region has this statistical code."))
        return region

    def screening(self) -> Screening:
        data = self.validated_data
        return Screening(
            sector=data.get("sector"),
            tags=tuple(sorted(set(data.get("tag", ())))),
            hometown=data.get("hometown"),
            away={"true": True, "false": False}.get(data.get("away")),
            key=data.get("key") == "true",
            q=(data.get("q") or "").strip(),
        )


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class XiangxianRowSerializer(serializers.ModelSerializer):
    """One row of the list: only what ``screen`` joins and the page's tags (read at once for
    the page); the phone in full where the context says the caller may see it."""

    # The sector and tags by name, as they read on the page (the filters take names or ids).
    sector = serializers.CharField(source="sector.name", read_only=True)
    hometown = CodeNameSerializer(read_only=True)
    key = serializers.BooleanField(source="is_key", read_only=True)
    tags = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField(
        help_text=_("Masked (138****5678) unless the caller may see numbers in full (audited).")
    )

    class Meta:
        model = Xiangxian
        fields = ["id", "name", "sector", "hometown", "away", "key", "tags", "phone"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, person: Xiangxian) -> list[str]:
        return [tag.name for tag in getattr(person, "tag_list", [])]

    def get_phone(self, person: Xiangxian) -> str:
        return person.phone if self.context.get("full_numbers") else mask_mobile(person.phone)


class XiangxianDetailSerializer(XiangxianRowSerializer):
    """One person's record; the ID number, like the phone, masked unless shown in full."""

    id_number = serializers.SerializerMethodField()
    residence = serializers.CharField(read_only=True)

    class Meta(XiangxianRowSerializer.Meta):
        fields = [
            *XiangxianRowSerializer.Meta.fields,
            "gender",
            "birth_year",
            "residence_province",
            "residence_city",
            "abroad",
            "residence",
            "organisation",
            "title",
            "honours",
            "id_number",
            "referral",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, person: Xiangxian) -> str:
        return person.id_number if self.context.get("full_numbers") else person.masked_id_number


class XiangxianCreateSerializer(serializers.Serializer):
    """A new person. Only the shapes are read here; the fields are checked by the service."""

    name = serializers.CharField(max_length=50)
    gender = serializers.CharField(required=False, allow_blank=True, default="")
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    hometown = serializers.CharField(help_text=_("The region's statistical code."))
    residence_province = serializers.CharField(required=False, allow_blank=True, default="")
    residence_city = serializers.CharField(required=False, allow_blank=True, default="")
    abroad = serializers.CharField(required=False, allow_blank=True, default="")
    sector = serializers.CharField(help_text=_("A sector's id or name."))
    organisation = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, default="")
    honours = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    referral = serializers.CharField(required=False, allow_blank=True, default="")
    is_key = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.PrimaryKeyRelatedField(
        queryset=Tag.objects.all(), many=True, required=False, default=list
    )
    confirmed_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Enter the person although possible duplicates were found (not for the same ID number)."
        ),
    )

    def validate_hometown(self, value):
        region = region_by_code(value)
        if region is None:
            raise serializers.ValidationError(_("No region has this statistical code."))
        if region.level < Region.Level.COUNTY:  # as the form's picker
            raise serializers.ValidationError(
                _("Give the hometown down to the county at least (e.g. 江山市).")
            )
        return region

    def validate_sector(self, value):
        sector = sector_by_key(value)
        if sector is None:
            raise serializers.ValidationError(_("No sector has this id or name."))
        return sector


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicateErrorSerializer(serializers.Serializer):
    """409: the person may already be in the registry (send ``confirmed_new`` to enter anyway)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = CandidateSerializer(many=True)


class SectorCountSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text=_("The sector's id."))
    label = serializers.CharField()
    count = serializers.IntegerField()


class ServiceFigureSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    value_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)


class XiangxianStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    away = serializers.IntegerField(help_text=_("People living away (寓外)."))
    by_sector = SectorCountSerializer(many=True)
    services = ServiceFigureSerializer(many=True)


class EventSerializer(serializers.ModelSerializer):
    """An event with its invitations counted (``selectors.with_counts``)."""

    invited = serializers.IntegerField(read_only=True)
    accepted = serializers.IntegerField(read_only=True)
    waitlisted = serializers.IntegerField(read_only=True)
    declined = serializers.IntegerField(read_only=True)
    checked_in = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "venue",
            "capacity",
            "invited",
            "accepted",
            "waitlisted",
            "declined",
            "checked_in",
        ]
        read_only_fields = fields
