"""Shapes of the app's API: the units list's filters and rows."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from grassroots.models import Domain, Unit
from grassroots.selectors import UnitFilters, counties


class UnitFilterParamsSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    county = serializers.CharField(
        required=False, help_text=_("A county's 6- or 12-digit code, or its id.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate_county(self, value):
        value = value.strip()
        found = None
        if value.isdigit():
            code = value.ljust(12, "0") if len(value) in (6, 12) else None
            if code:
                found = counties().filter(code=code).first()
            if found is None and len(value) < 6:
                found = counties().filter(pk=int(value)).first()
        if found is None:
            raise serializers.ValidationError(_("No county of Quzhou has this code."))
        return found

    def filters(self) -> UnitFilters:
        data = self.validated_data
        return UnitFilters(
            domain=data.get("domain", ""),
            county=data.get("county"),
            q=(data.get("q") or "").strip(),
        )


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class UnitRowSerializer(serializers.ModelSerializer):
    domain_label = serializers.CharField(source="get_domain_display")
    region = RegionRefSerializer()
    county = RegionRefSerializer()
    in_charge = serializers.SerializerMethodField()
    contact_phone = serializers.CharField(source="masked_phone")

    class Meta:
        model = Unit
        fields = [
            "id",
            "domain",
            "domain_label",
            "name",
            "region",
            "county",
            "in_charge",
            "contact_name",
            "contact_phone",
            "active",
        ]

    def get_in_charge(self, unit) -> str | None:
        return unit.in_charge.display_name if unit.in_charge_id else None
