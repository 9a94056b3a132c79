"""REST API of the archive (``/api/v1/nonparty/``): the people list with its filters, entering a
person, and the batches with their profiles (frozen and live).

Roles outside the archive get 403 on the lists, 404 on an object; the scope is the pages'
(``visible_to``)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from nonparty import selectors, services
from nonparty.api.serializers import (
    BatchSerializer,
    FilterParamsSerializer,
    PersonCreateSerializer,
    PersonRowSerializer,
    TalkCompletionSerializer,
    TalkYearSerializer,
    batch_data,
)
from nonparty.models import Person
from portal.api.pagination import KeysFirstPagination
from portal.api.serializers import ApiErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


def _require_archive(user) -> None:
    if not selectors.can_see_archive(user):
        raise PermissionDenied(_("The non-party archive is for united-front staff and leaders."))


FILTERS = [
    OpenApiParameter("batch", OpenApiTypes.INT, description="A batch's id."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=["candidate", "recognised", "withdrawn"]),
    OpenApiParameter("field", OpenApiTypes.STR, description="A field's code."),
    OpenApiParameter("cadre", OpenApiTypes.INT, description="The current liaison cadre's id."),
    OpenApiParameter("q", OpenApiTypes.STR, description="In name, employer, position, title."),
]


class PersonViewSet(viewsets.GenericViewSet):
    """Non-party people (无党派人士) in the caller's scope."""

    pagination_class = KeysFirstPagination
    serializer_class = PersonRowSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user)

    @extend_schema(
        summary="People in the caller's scope matching the filters, by name",
        parameters=FILTERS,
        responses={
            200: PersonRowSerializer(many=True),
            400: _error("An unknown batch or cadre, or a value not in the list."),
            403: _error("Roles outside the archive see none of it."),
        },
    )
    def list(self, request):
        _require_archive(request.user)
        params = FilterParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.people_for(request.user, params.filters()))
        return self.get_paginated_response(PersonRowSerializer(page, many=True).data)

    @extend_schema(
        summary="One person's row",
        responses={200: PersonRowSerializer, 404: _error("No such person in your scope.")},
    )
    def retrieve(self, request, pk=None):
        return Response(PersonRowSerializer(selectors.person_for(request.user, pk)).data)

    @extend_schema(
        summary="Enter a person (dispatcher, admin)",
        request=PersonCreateSerializer,
        responses={
            201: PersonRowSerializer,
            400: _error("Invalid input: a list of messages per bad field."),
            403: _error("Leaders, county staff and cadres read only."),
        },
    )
    def create(self, request):
        if not selectors.can_edit(request.user):
            raise PermissionDenied(_("Only the united-front office enters people."))
        serializer = PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.person_create(actor=request.user, data=serializer.validated_data)
        person = selectors.person_for(request.user, person.pk)
        return Response(
            PersonRowSerializer(person).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:nonparty-person-detail", args=[person.pk])},
        )


class BatchViewSet(viewsets.GenericViewSet):
    """Recognition batches (认定批次) with their profiles."""

    pagination_class = KeysFirstPagination
    serializer_class = BatchSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return selectors.batches_for(self.request.user)

    @extend_schema(
        summary="Batches, latest first, with their profiles",
        responses={200: BatchSerializer(many=True), 403: _error("Roles outside the archive.")},
    )
    def list(self, request):
        _require_archive(request.user)
        page = self.paginate_queryset(self.get_queryset())
        live = selectors.batch_profiles(page)
        rows = [batch_data(batch, live[batch.pk]) for batch in page]
        return self.get_paginated_response(BatchSerializer(rows, many=True).data)

    @extend_schema(
        summary="One batch with its profile (frozen and live once approved)",
        responses={200: BatchSerializer, 404: _error("No such batch in your scope.")},
    )
    def retrieve(self, request, pk=None):
        batch = selectors.batch_for(request.user, pk)
        return Response(BatchSerializer(batch_data(batch, selectors.batch_profile(batch))).data)


class TalkPlanView(APIView):
    """Yearly talk plans (年度谈心谈话): per cadre, the talks planned and held."""

    @extend_schema(
        operation_id="v1_nonparty_talk_plans",
        summary="Completion of the year's talk plans per cadre and overall",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year.")],
        responses={
            200: TalkCompletionSerializer,
            400: _error("A year that is not a whole number between 2000 and 2100."),
            403: _error("Roles outside the archive."),
        },
    )
    def get(self, request):
        _require_archive(request.user)
        params = TalkYearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        data = selectors.talk_completion(request.user, year)
        for row in data["rows"]:
            row["cadre"] = {"id": row["cadre_id"], "name": row["name"]}
        return Response(TalkCompletionSerializer(data).data)
