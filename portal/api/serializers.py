from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.errors import LockedOut
from portal.models import Department, Notification, Region, User


class ApiErrorSerializer(serializers.Serializer):
    """The error body of every failure (portal.api.errors); 400s add a list per bad field."""

    detail = serializers.CharField()
    code = serializers.CharField()


class IdNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        request = self.context.get("request")
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            # django-axes refused to check the password: say so, not "wrong password". Each
            # attempt while locked starts the cool-off again, so it lasts the whole period.
            raise LockedOut(minutes=round(settings.AXES_COOLOFF_TIME * 60))
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Wrong user name or password.")]}, code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    department = serializers.SerializerMethodField()
    enterprises = serializers.SerializerMethodField()
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ["username", "name", "role", "department", "enterprises"]

    @extend_schema_field(IdNameSerializer(allow_null=True))
    def get_department(self, user: User):
        if user.department is None:
            return None
        return {"id": user.department.pk, "name": user.department.name}

    @extend_schema_field(IdNameSerializer(many=True))
    def get_enterprises(self, user: User):
        memberships = user.memberships.verified().select_related("enterprise")
        return [{"id": m.enterprise.pk, "name": m.enterprise.name} for m in memberships]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "code"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class NotificationSerializer(serializers.ModelSerializer):
    appeal = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "appeal", "created_at", "read"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_appeal(self, notification: Notification) -> int | None:
        target_type = notification.target_type
        if (
            target_type is not None
            and target_type.app_label == "enterprises"
            and (target_type.model == "appeal")
        ):
            return notification.target_id
        return None
