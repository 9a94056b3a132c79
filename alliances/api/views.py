"""REST API of the alliances (``/api/v1/alliances/``, CONTRACT.md): the list and entering one,
one alliance with its member villages, and the coverage on a day.

Roles outside the alliances get 403 on the list and the coverage, 404 on an alliance; only the
office (dispatcher, admin) enters alliances.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances import selectors, services
from alliances.api.serializers import (
    AllianceCreateSerializer,
    AllianceDetailSerializer,
    AllianceRowSerializer,
    CoverageParamsSerializer,
    CoverageSerializer,
)
from portal.api.serializers import ApiErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


def _require_reader(user) -> None:
    if not selectors.can_see(user):
        raise PermissionDenied(
            _("The alliances are for united-front staff, county staff and village reporters.")
        )


ALLIANCE_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The alliance's id."
)


class AllianceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Alliances (奔富联盟) in the caller's scope, by name."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = AllianceRowSerializer

    def get_queryset(self):
        return selectors.alliances(self.request.user)

    @extend_schema(
        summary="Alliances in the caller's scope, by name",
        responses={
            200: AllianceRowSerializer(many=True),
            403: _error("Roles outside the alliances see none of them."),
        },
    )
    def list(self, request, *args, **kwargs):
        _require_reader(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One alliance with its current member villages",
        parameters=[ALLIANCE_ID],
        responses={
            200: AllianceDetailSerializer,
            404: _error("No such alliance in your scope."),
        },
    )
    def retrieve(self, request, pk=None):
        return self._detail(selectors.alliance_for(request.user, pk))

    def _detail(self, alliance, status_code=status.HTTP_200_OK, **kwargs):
        members = selectors.members(alliance).filter(left_on__isnull=True)
        data = AllianceDetailSerializer(alliance, context={"members": members}).data
        return Response(data, status=status_code, **kwargs)

    @extend_schema(
        summary="Enter an alliance (dispatcher, admin)",
        description="Its lead village (a 12-digit village code) becomes its first member, from "
        "the founding day. Names are unique (400 under `name`).",
        request=AllianceCreateSerializer,
        responses={
            201: AllianceDetailSerializer,
            400: _error("Invalid input: a list of messages per bad field."),
            403: _error("Leaders, county staff and village reporters read only."),
        },
    )
    def create(self, request):
        if not selectors.can_edit(request.user):
            raise PermissionDenied(_("Only the united-front office changes the alliances."))
        serializer = AllianceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alliance = services.alliance_create(actor=request.user, data=serializer.validated_data)
        alliance = selectors.alliance_for(request.user, alliance.pk)
        location = reverse("api:alliance-detail", args=[alliance.pk])
        return self._detail(alliance, status.HTTP_201_CREATED, headers={"Location": location})


class CoverageView(APIView):
    """The coverage computed from the memberships on a day, over the alliances in scope."""

    @extend_schema(
        operation_id="v1_alliances_coverage",
        summary="Alliances, ethnic townships and villages covered, regions reached, on a day",
        parameters=[
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="The day (YYYY-MM-DD); today if not given."
            )
        ],
        responses={
            200: CoverageSerializer,
            400: _error("A malformed day."),
            403: _error("Roles outside the alliances."),
        },
    )
    def get(self, request):
        _require_reader(request.user)
        given = {k: v for k, v in request.query_params.items() if k == "on" and v.strip()}
        params = CoverageParamsSerializer(data=given)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("on") or timezone.localdate()
        return Response(selectors.coverage(request.user, day))
