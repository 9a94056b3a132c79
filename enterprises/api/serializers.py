from rest_framework import serializers


class RegisterSerializer(serializers.Serializer):
    """An entrepreneur's self-registration; checks are the service's, so the form and API agree."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=50)
    mobile = serializers.CharField(max_length=20)
    uscc = serializers.CharField(max_length=30)
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RegisteredSerializer(serializers.Serializer):
    username = serializers.CharField()
    status = serializers.CharField()
