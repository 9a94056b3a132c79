"""REST API of the grassroots app (``/api/v1/grassroots/``).

Roles outside the app get 403 on the lists, 404 on an object; the scope is the pages'
(``visible_to``)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from grassroots import selectors
from grassroots.api.serializers import UnitFilterParamsSerializer, UnitRowSerializer
from grassroots.models import Domain, Unit
from portal.api.pagination import KeysFirstPagination
from portal.api.serializers import ApiErrorSerializer


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


def require_units(user) -> None:
    if not selectors.can_see_units(user):
        raise PermissionDenied(_("The grassroots units are for united-front staff and leaders."))


UNIT_FILTERS = [
    OpenApiParameter("domain", OpenApiTypes.STR, enum=Domain.values),
    OpenApiParameter("county", OpenApiTypes.STR, description="A county's code (6 or 12 digits)."),
    OpenApiParameter("q", OpenApiTypes.STR, description="In the name and the contact's name."),
]


class UnitViewSet(viewsets.GenericViewSet):
    """Grassroots units (基层单位) in the caller's scope."""

    queryset = Unit.objects.none()

    pagination_class = KeysFirstPagination
    serializer_class = UnitRowSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        summary="Units in the caller's scope matching the filters",
        parameters=UNIT_FILTERS,
        responses={
            200: UnitRowSerializer(many=True),
            400: error("An unknown domain or county."),
            403: error("Roles outside the app see none of it."),
        },
    )
    def list(self, request):
        require_units(request.user)
        params = UnitFilterParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.units_for(request.user, params.filters()))
        return self.get_paginated_response(UnitRowSerializer(page, many=True).data)

    @extend_schema(
        summary="One unit",
        responses={200: UnitRowSerializer, 404: error("No such unit in your scope.")},
    )
    def retrieve(self, request, pk=None):
        return Response(UnitRowSerializer(selectors.unit_for(request.user, pk)).data)
