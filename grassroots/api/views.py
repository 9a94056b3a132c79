"""REST API of the grassroots app (``/api/v1/grassroots/``).

Roles outside the app get 403 on the lists, 404 on an object; the scope is the pages'
(``visible_to``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots import selectors
from grassroots.api.serializers import (
    IndexParamsSerializer,
    IndexSerializer,
    PeriodSerializer,
    ScoreInputSerializer,
    ScoreSerializer,
    UnitFilterParamsSerializer,
    UnitRowSerializer,
)
from grassroots.models import Domain, Unit
from grassroots.services.index import (
    CORRECTOR_ROLES,
    SCORER_ROLES,
    TRANSITIONS,
    period_step,
    score_correct,
    score_set,
)
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

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)

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


class IndexView(APIView):
    """The ranking of a period (一指数), from the roll-up."""

    @extend_schema(
        summary="Ranking of units or counties in a period; rank 1 best, ties share a rank",
        parameters=[IndexParamsSerializer],
        responses={
            200: IndexSerializer,
            400: error("An unknown period, grouping or domain."),
            403: error("Roles outside the app see none of it."),
        },
    )
    def get(self, request):
        require_units(request.user)
        params = IndexParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = selectors.ranking(
            request.user,
            data["period"],
            group_by=data.get("group_by") or "unit",
            domain=data.get("domain") or "",
        )
        return Response({"rows": [row.as_dict() for row in rows]})


def _period(user, key: str):
    """A period as an object: outside the app it does not exist (404, as CONTRACT.md says)."""
    if not selectors.can_see_units(user):
        raise Http404
    return selectors.period_by_key(key)


class PeriodListView(APIView):
    @extend_schema(
        summary="The index periods, newest first",
        responses={200: PeriodSerializer(many=True), 403: error("Outside the app.")},
    )
    def get(self, request):
        require_units(request.user)
        return Response(PeriodSerializer(selectors.periods(), many=True).data)


class PeriodActionView(APIView):
    """``compute``, ``review``, ``submit``, ``lock``: one step of the period's flow."""

    @extend_schema(
        summary="Take one step of a period's flow (compute, review, submit, lock)",
        request=None,
        responses={
            200: PeriodSerializer,
            403: error("Your role may not take this step."),
            404: error("No such period or step."),
            409: error("The period's status does not allow this step."),
        },
    )
    def post(self, request, key: str, action: str):
        period = _period(request.user, key)
        if action not in TRANSITIONS:
            raise Http404
        return Response(
            PeriodSerializer(period_step(period=period, action=action, actor=request.user)).data
        )


class PeriodScoreView(APIView):
    """A reviewer's score (in county review) or the office's correction (once locked)."""

    correct = False

    @extend_schema(
        summary="Score a scored indicator with evidence (review) / correct a score (locked)",
        request=ScoreInputSerializer,
        responses={
            200: ScoreSerializer,
            400: error("A bad score, indicator, or a missing evidence or reason."),
            403: error("Your role may not score or correct."),
            404: error("No such period or unit in your scope."),
            409: error("The period's status does not allow it."),
        },
    )
    def post(self, request, key: str):
        period = _period(request.user, key)
        if not request.user.has_role(*(CORRECTOR_ROLES if self.correct else SCORER_ROLES)):
            raise PermissionDenied(_("Your role may not score units."))
        data_in = ScoreInputSerializer(data=request.data)
        data_in.is_valid(raise_exception=True)
        data = data_in.validated_data
        unit = selectors.unit_for(request.user, data["unit"])
        common = {
            "period": period,
            "unit": unit,
            "indicator_id": data["indicator"],
            "score": data["score"],
            "actor": request.user,
        }
        if self.correct:
            row = score_correct(reason=data.get("reason", ""), **common)
        else:
            row = score_set(evidence=data.get("evidence", ""), **common)
        return Response(ScoreSerializer(row).data)
