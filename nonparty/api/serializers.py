"""Shapes of the archive's API: the list's filters, a row of the people list, a new person, a
batch with its profile. The checks of a person's fields are the model's and the service's, so
the page and the API agree; these only read the request and write the answer."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nonparty.models import Batch, Field, Gender, Person, Status, UnitType
from nonparty.selectors import Filters, cadres
from portal.models import Region


def _status(value: str) -> str:
    if value not in Status.values:
        raise serializers.ValidationError(
            _("Choose one of: %(values)s.") % {"values": ", ".join(Status.values)}
        )
    return value


class FilterParamsSerializer(serializers.Serializer):
    batch = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    # Plain strings (one ``status`` enum in the whole schema would collide with the appeals').
    status = serializers.CharField(
        required=False, help_text=_("candidate, recognised or withdrawn.")
    )
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    cadre = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("The cadre's user id.")
    )
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate_batch(self, value):
        batch = Batch.objects.filter(pk=value).first()
        if batch is None:
            raise serializers.ValidationError(_("No batch has this id."))
        return batch

    def validate_status(self, value):
        return _status(value)

    def validate_cadre(self, value):
        cadre = cadres().filter(pk=value).first()
        if cadre is None:
            raise serializers.ValidationError(_("No liaison cadre has this id."))
        return cadre

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(
            batch=data.get("batch"),
            status=data.get("status", ""),
            field=data.get("field", ""),
            cadre=data.get("cadre"),
            q=(data.get("q") or "").strip(),
        )


class PersonRowSerializer(serializers.ModelSerializer):
    """One row of the list (``selectors.with_row_figures`` annotates the figures)."""

    highest_degree = serializers.CharField(read_only=True, allow_null=True)
    full_time = serializers.SerializerMethodField(
        help_text=_("Whether the highest degree was full-time (null without a degree).")
    )
    double_first_class = serializers.BooleanField(
        read_only=True, help_text=_("Any degree from a 双一流 university of the reference table.")
    )
    batch = serializers.IntegerField(source="batch_id", read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text=_("candidate, recognised or withdrawn.")
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "birth_date",
            "highest_degree",
            "full_time",
            "double_first_class",
            "batch",
            "status",
        ]
        read_only_fields = fields

    def get_full_time(self, person) -> bool | None:
        return person.highest_full_time if person.highest_degree else None


class PersonCreateSerializer(serializers.Serializer):
    """A new person; the model and the service check the fields."""

    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField()
    ethnicity = serializers.CharField(required=False, allow_blank=True, default="汉族")
    native_place = serializers.CharField(help_text=_("The region's statistical code."))
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    employer = serializers.CharField(required=False, allow_blank=True, default="")
    unit_type = serializers.ChoiceField(
        choices=UnitType.choices, required=False, allow_blank=True, default=""
    )
    position = serializers.CharField(required=False, allow_blank=True, default="")
    professional_title = serializers.CharField(required=False, allow_blank=True, default="")
    field = serializers.ChoiceField(choices=Field.choices)
    cv = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.CharField(
        required=False,
        default=Status.CANDIDATE,
        help_text=_("candidate, recognised or withdrawn."),
    )

    def validate_status(self, value):
        return _status(value)

    def validate_native_place(self, value):
        code = (value or "").strip()
        region = None
        if code.isdigit() and len(code) <= 12:
            region = Region.objects.filter(code=code.ljust(12, "0")).first()
        if region is None:
            raise serializers.ValidationError(_("No region has this statistical code."))
        return region


class ProfileFiguresSerializer(serializers.Serializer):
    masters_share = serializers.FloatField(allow_null=True)
    double_first_class_share = serializers.FloatField(allow_null=True)
    average_age = serializers.FloatField(allow_null=True)


class BatchSerializer(serializers.Serializer):
    """A batch and its profile: the frozen figures once approved (``live``: the same three
    from today's rows), else today's."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    recognised_on = serializers.DateField()
    approving_body = serializers.CharField()
    size = serializers.IntegerField()
    masters_share = serializers.FloatField(allow_null=True)
    double_first_class_share = serializers.FloatField(allow_null=True)
    average_age = serializers.FloatField(allow_null=True)
    frozen = serializers.BooleanField()
    live = ProfileFiguresSerializer(required=False)


LIVE_FIGURES = ("masters_share", "double_first_class_share", "average_age")


def batch_data(batch: Batch, live: dict) -> dict:
    shown = batch.profile if batch.frozen else live
    data = {
        "id": batch.pk,
        "name": batch.name,
        "recognised_on": batch.recognised_on,
        "approving_body": batch.approving_body,
        "size": shown["size"],
        **{name: shown[name] for name in LIVE_FIGURES},
        "frozen": batch.frozen,
    }
    if batch.frozen:
        data["live"] = {name: live[name] for name in LIVE_FIGURES}
    return data


class TalkYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class CadreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TalkCompletionRowSerializer(serializers.Serializer):
    cadre = CadreSerializer()
    people = serializers.IntegerField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField(help_text=_("Each person's talks counted up to their plan."))
    completion = serializers.FloatField(allow_null=True, help_text=_("done ÷ planned, 0–1."))


class TalkCompletionTotalSerializer(serializers.Serializer):
    people = serializers.IntegerField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField()
    completion = serializers.FloatField(allow_null=True)


class TalkCompletionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rows = TalkCompletionRowSerializer(many=True)
    total = TalkCompletionTotalSerializer()
