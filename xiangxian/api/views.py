"""REST API of the registry (``/api/v1/xiangxian/``): the screening as a paginated list, one
person, entering a person, and the registry's figures.

The scope and the criteria are the list page's (``selectors.screen`` with a ``Screening``);
roles outside the registry get 403 on the list and the figures, 404 on a person. Numbers are
masked unless the caller may see them (``selectors.can_see_numbers``); each person shown with a
number in full gets an audit row, as on the page.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.pagination import KeysFirstPagination
from portal.api.serializers import ApiErrorSerializer
from portal.services import audit_personal_views
from xiangxian import selectors, services
from xiangxian.api.serializers import (
    DuplicateErrorSerializer,
    EventSerializer,
    ScreeningParamsSerializer,
    XiangxianCreateSerializer,
    XiangxianDetailSerializer,
    XiangxianRowSerializer,
    XiangxianStatsSerializer,
)
from xiangxian.models import Sector, Xiangxian
from xiangxian.selectors import Screening

NUMBER_FIELDS = ("phone", "id_number")


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


def _require_registry(user) -> None:
    if not selectors.can_see_registry(user):
        raise PermissionDenied(_("The xiangxian registry is for united-front staff and leaders."))


def _audit_shown(request, people, fields) -> None:
    """One audit row per person whose ``fields`` were shown in full (one query for a page)."""
    shown = [
        (person, [name for name in fields if getattr(person, name)])
        for person in people
        if any(getattr(person, name) for name in fields)
    ]
    audit_personal_views(actor=request.user, shown=shown, request=request)


SCREENING_PARAMETERS = [
    OpenApiParameter("sector", OpenApiTypes.STR, description="A sector's id or name."),
    OpenApiParameter(
        "tag", OpenApiTypes.INT, many=True, description="A tag's id; repeat for every tag wanted."
    ),
    OpenApiParameter(
        "hometown",
        OpenApiTypes.STR,
        description="A region's statistical code at any level (trailing zeros optional).",
    ),
    OpenApiParameter("away", OpenApiTypes.STR, enum=["true", "false"], description="寓外."),
    OpenApiParameter("key", OpenApiTypes.STR, enum=["true", "false"], description="Key people."),
    OpenApiParameter("q", OpenApiTypes.STR, description="In name, organisation, title, honours."),
]
PERSON_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The person's id."
)


class XiangxianViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """People of the registry (新乡贤), screened as on the list page (乡贤通)."""

    pagination_class = KeysFirstPagination
    lookup_value_regex = r"[0-9]+"
    serializer_class = XiangxianRowSerializer

    def get_queryset(self):
        return Xiangxian.objects.visible_to(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["full_numbers"] = selectors.can_see_numbers(self.request.user)
        return context

    @extend_schema(
        summary="People in the caller's scope matching the screening, by name",
        parameters=SCREENING_PARAMETERS,
        responses={
            200: XiangxianRowSerializer(many=True),
            400: _error("An unknown sector, tag or region code, or a malformed flag."),
            403: _error("Roles outside the registry see none of it."),
        },
    )
    def list(self, request):
        _require_registry(request.user)
        params = ScreeningParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.screen(request.user, params.screening()))
        people = selectors.with_tag_lists(page)
        context = self.get_serializer_context()
        if context["full_numbers"]:
            _audit_shown(request, people, ("phone",))
        return self.get_paginated_response(
            XiangxianRowSerializer(people, many=True, context=context).data
        )

    @extend_schema(
        summary="One person's record",
        parameters=[PERSON_ID],
        responses={200: XiangxianDetailSerializer, 404: _error("No such person in your scope.")},
    )
    def retrieve(self, request, pk=None):
        person = selectors.person_for(request.user, pk)
        return self._detail(request, person)

    def _detail(self, request, person, status_code=status.HTTP_200_OK, **kwargs):
        person = selectors.with_tag_lists([person])[0]
        context = self.get_serializer_context()
        if context["full_numbers"]:
            _audit_shown(request, [person], NUMBER_FIELDS)
        data = XiangxianDetailSerializer(person, context=context).data
        return Response(data, status=status_code, **kwargs)

    @extend_schema(
        summary="Enter a person (dispatcher, admin)",
        description="Possible duplicates (same mobile number, or same name, year of birth and "
        "hometown) answer 409 with the candidates; send `confirmed_new: true` to enter the "
        "person anyway. The same ID number is never entered twice (400 under `id_number`).",
        request=XiangxianCreateSerializer,
        responses={
            201: XiangxianDetailSerializer,
            400: _error("Invalid input: a list of messages per bad field."),
            403: _error("Leaders read only; roles outside the registry see none of it."),
            409: OpenApiResponse(DuplicateErrorSerializer, description="Possible duplicates."),
        },
    )
    def create(self, request):
        if not selectors.can_edit(request.user):
            raise PermissionDenied(_("Only united-front staff and administrators enter people."))
        serializer = XiangxianCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        tags, confirmed = data.pop("tags"), data.pop("confirmed_new")
        try:
            person = services.xiangxian_create(
                actor=request.user,
                data=data,
                tags=[tag.pk for tag in tags],
                confirmed_new=confirmed,
            )
        except services.DuplicateSuspected as exc:
            return Response(
                {
                    "detail": str(exc),
                    "code": "duplicate",
                    "candidates": [
                        {"id": c.person.pk, "name": c.person.name, "reasons": c.reasons}
                        for c in exc.candidates
                    ],
                },
                status=status.HTTP_409_CONFLICT,
            )
        person = selectors.person_for(request.user, person.pk)
        location = reverse("api:xiangxian-detail", args=[person.pk])
        return self._detail(
            request, person, status.HTTP_201_CREATED, headers={"Location": location}
        )


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events (会务) in the caller's scope, latest first, with their invitations counted."""

    serializer_class = EventSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.with_counts(selectors.events_for(self.request.user))

    @extend_schema(
        summary="Events, latest first, with capacity and invitations by answer",
        responses={200: EventSerializer(many=True), 403: _error("Roles outside the registry.")},
    )
    def list(self, request, *args, **kwargs):
        _require_registry(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One event with capacity and invitations by answer",
        responses={200: EventSerializer, 404: _error("No such event in the caller's scope.")},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class XiangxianStatsView(APIView):
    """How many people the registry holds, how many live away, per sector, and the services."""

    @extend_schema(
        operation_id="v1_xiangxian_stats",
        summary="The registry's figures, counted from its rows",
        responses={200: XiangxianStatsSerializer, 403: _error("Roles outside the registry.")},
    )
    def get(self, request):
        _require_registry(request.user)
        people = selectors.screen(request.user, Screening()).order_by()
        totals = people.aggregate(total=Count("pk"), away=Count("pk", filter=Q(away=True)))
        counts = dict(people.values_list("sector").annotate(count=Count("pk")).order_by())
        sectors = Sector.objects.filter(Q(is_active=True) | Q(pk__in=list(counts)))
        return Response(
            {
                "total": totals["total"],
                "away": totals["away"],
                "by_sector": [
                    {"key": sector.pk, "label": sector.name, "count": counts.get(sector.pk, 0)}
                    for sector in sectors
                ],
                "services": selectors.service_figures(request.user),
            }
        )
