"""What the app adds to the portal's own endpoints (``portal.registry.register_api_field``):
a user's verified enterprises on ``/api/v1/me/`` and a notification's appeal."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import IdNameSerializer


@extend_schema_field(IdNameSerializer(many=True))
class UserEnterprisesField(serializers.Field):
    """The enterprises the user is a verified member of, as ``[{"id","name"}]``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, user):
        memberships = user.memberships.verified().select_related("enterprise")
        return [{"id": m.enterprise.pk, "name": m.enterprise.name} for m in memberships]


@extend_schema_field(serializers.IntegerField(allow_null=True))
class NotificationAppealField(serializers.Field):
    """The id of the appeal a notification is about, else null."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, notification):
        target_type = notification.target_type
        if target_type is not None and (target_type.app_label, target_type.model) == (
            "enterprises",
            "appeal",
        ):
            return notification.target_id
        return None


def enterprise_scopes(user) -> list[dict]:
    """An entrepreneur's grant is held in each enterprise they are a verified member of."""
    memberships = user.memberships.verified().select_related("enterprise")
    return [
        {"kind": "enterprise", "id": m.enterprise.pk, "name": m.enterprise.name}
        for m in memberships
    ]
