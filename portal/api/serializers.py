from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal import registry
from portal.api.errors import LockedOut
from portal.models import Department, Notification, Region, User
from portal.selectors import roles_of


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


class ContributedFieldsMixin:
    """Adds the fields apps register for this serializer (``portal.registry.register_api_field``)
    after its own, so portal's API tells what an app knows without importing the app."""

    contributed_as: str = ""

    def get_fields(self):
        fields = super().get_fields()
        fields.update(registry.api_fields(self.contributed_as))
        return fields


class ScopeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False)
    name = serializers.CharField()


class GrantSerializer(serializers.Serializer):
    role = serializers.CharField()
    scope = ScopeSerializer(allow_null=True)


class MeSerializer(ContributedFieldsMixin, serializers.ModelSerializer):
    contributed_as = "me"
    department = serializers.SerializerMethodField()
    name = serializers.CharField(source="display_name")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name", "role", "roles", "department"]

    @extend_schema_field(GrantSerializer(many=True))
    def get_roles(self, user: User) -> list[dict]:
        return roles_of(user)

    @extend_schema_field(IdNameSerializer(allow_null=True))
    def get_department(self, user: User):
        if user.department is None:
            return None
        return {"id": user.department.pk, "name": user.department.name}


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "code"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent"]


class NotificationSerializer(ContributedFieldsMixin, serializers.ModelSerializer):
    contributed_as = "notification"
    # The kind's name within its app (``assigned``), and the app (stored: ``"<app>.assigned"``).
    kind = serializers.CharField(source="kind_name", read_only=True)
    app = serializers.CharField(source="kind_app", read_only=True, allow_null=True)
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "app", "title", "body", "url", "created_at", "read"]
