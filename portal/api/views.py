from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import services
from portal.api import serializers
from portal.models import Department, Notification


class TokenView(APIView):
    """Exchange a user name and password for an API token (wrong passwords count to lock-out)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=serializers.TokenRequestSerializer, responses=serializers.TokenSerializer
    )
    def post(self, request):
        serializer = serializers.TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class MeView(generics.RetrieveAPIView):
    """Who the caller is: role and department, with what the apps add (their enterprises …)."""

    serializer_class = serializers.MeSerializer

    def get_object(self):
        return self.request.user


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DepartmentSerializer
    pagination_class = None

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user).active()


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's notifications, newest first."""

    serializer_class = serializers.NotificationSerializer

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user).select_related("target_type")

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        ids = request.data.get("ids") if isinstance(request.data, dict) else None
        if ids is not None and not (
            isinstance(ids, list)
            and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
        ):
            raise ValidationError({"ids": [_("Give a list of notification ids.")]})
        count = services.notifications_mark_read(user=request.user, ids=ids)
        return Response({"marked": count}, status=status.HTTP_200_OK)
