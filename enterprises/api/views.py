from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises import services
from enterprises.api.serializers import RegisteredSerializer, RegisterSerializer
from enterprises.models import Membership


class RegisterView(APIView):
    """An entrepreneur registers; the membership stays pending until a dispatcher verifies it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.entrepreneur_register(**serializer.validated_data)
        return Response(
            {"username": user.username, "status": Membership.Status.PENDING},
            status=status.HTTP_201_CREATED,
        )
