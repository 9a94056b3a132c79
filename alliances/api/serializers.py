"""Serializers of the alliances' API; shapes as CONTRACT.md writes them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliances.models import Alliance, Kind
from portal.models import Region


class RegionBriefSerializer(serializers.ModelSerializer):
    """A region by its 12-digit code, name and level (1 province … 5 village)."""

    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class MemberSerializer(serializers.Serializer):
    region = RegionBriefSerializer()
    role = serializers.CharField()
    joined_on = serializers.DateField()


class AllianceRowSerializer(serializers.ModelSerializer):
    kinds = serializers.SerializerMethodField()
    lead_village = RegionBriefSerializer(read_only=True)
    member_count = serializers.IntegerField(
        read_only=True, help_text=_("Member villages today (those that left are not counted).")
    )

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "kinds",
            "founded_on",
            "lead_village",
            "status",
            "member_count",
        ]

    def get_kinds(self, alliance) -> list[str]:
        return [kind.kind for kind in alliance.kinds.all()]


class AllianceDetailSerializer(AllianceRowSerializer):
    members = serializers.SerializerMethodField()

    class Meta(AllianceRowSerializer.Meta):
        fields = [*AllianceRowSerializer.Meta.fields, "description", "version", "members"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, alliance) -> list[dict]:
        return MemberSerializer(self.context["members"], many=True).data


class AllianceCreateSerializer(serializers.Serializer):
    """A new alliance. Only the shapes are read here; the values are checked by the service."""

    name = serializers.CharField(max_length=100)
    founded_on = serializers.CharField(help_text=_("YYYY-MM-DD"))
    lead_village = serializers.CharField(help_text=_("The lead village's 12-digit code."))
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices), allow_empty=False
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=Alliance.Status.choices, required=False, default=Alliance.Status.ACTIVE
    )


class CoverageParamsSerializer(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, e.g. 2023-06-30.")},
    )


class CoverageSerializer(serializers.Serializer):
    """The coverage on a day (``selectors.coverage``), in CONTRACT.md's keys."""

    alliances = serializers.IntegerField()
    ethnic_townships = serializers.IntegerField()
    ethnic_townships_covered = serializers.IntegerField()
    ethnic_villages = serializers.IntegerField()
    ethnic_villages_covered = serializers.IntegerField()
    provinces = serializers.IntegerField()
    cities = serializers.IntegerField()
    counties = serializers.IntegerField()
    townships = serializers.IntegerField()
    villages = serializers.IntegerField()
