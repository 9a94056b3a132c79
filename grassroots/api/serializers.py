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


class IndexParamsSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=7, help_text=_("A period's key: 2023 or 2023Q1."))
    group_by = serializers.ChoiceField(choices=["unit", "county"], required=False, default="unit")
    domain = serializers.ChoiceField(choices=Domain.choices, required=False, allow_blank=True)

    def validate_period(self, value):
        from grassroots.models import Period

        period = Period.objects.filter(key=value.strip().upper()).first()
        if period is None:
            raise serializers.ValidationError(_("No index period has this key."))
        return period


class RankRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    score = serializers.FloatField()
    rank = serializers.IntegerField()


class IndexSerializer(serializers.Serializer):
    rows = RankRowSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.CharField()
    locked_at = serializers.DateTimeField(allow_null=True)


class ScoreInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    indicator = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    indicator = serializers.IntegerField(source="indicator_id")
    score = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    version = serializers.IntegerField()
    evidence = serializers.CharField()
    reason = serializers.CharField()
