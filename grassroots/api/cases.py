"""API of the typical-case library: ``/api/v1/grassroots/cases/`` (search, one, draft) and the
steps ``/{id}/recommend/`` and ``/{id}/publish/`` (409 when the status does not allow it)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.serializers import RegionRefSerializer
from grassroots.api.views import error
from grassroots.models import CaseStatus, Domain, TypicalCase, Unit
from grassroots.selectors import cases as selectors
from grassroots.services import cases as services
from portal.api.pagination import KeysFirstPagination
from portal.models import Region


class CaseFilterParamsSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)

    def filters(self) -> selectors.CaseFilters:
        data = self.validated_data
        return selectors.CaseFilters(
            q=(data.get("q") or "").strip(),
            domain=data.get("domain", ""),
            status=data.get("status", ""),
        )


class CaseRowSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer()

    class Meta:
        model = TypicalCase
        fields = ["id", "title", "domain", "region", "status", "summary", "tags"]


class CasePersonSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    url = serializers.CharField()


class CaseUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CasePhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        from django.urls import reverse

        return reverse("grassroots:case-photo", args=[photo.case_id, photo.pk])


class CaseDetailSerializer(CaseRowSerializer):
    county = RegionRefSerializer()
    units = CaseUnitSerializer(many=True)
    people = serializers.SerializerMethodField()
    photos = CasePhotoSerializer(many=True)

    class Meta(CaseRowSerializer.Meta):
        fields = [
            *CaseRowSerializer.Meta.fields,
            "county",
            "body",
            "units",
            "people",
            "photos",
            "published_at",
            "version",
        ]

    def get_people(self, case) -> list[dict]:
        rows = selectors.people_of(case)
        return CasePersonSerializer(rows, many=True).data


class CasePersonInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    id = serializers.IntegerField(min_value=1)


class CaseInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    domain = serializers.ChoiceField(choices=Domain.choices)
    region = serializers.CharField(help_text="A region's 12-digit code (a county or within one).")
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField(max_length=20000)
    tags = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    people = CasePersonInputSerializer(many=True, required=False)

    def validate_region(self, value):
        code = value.strip().ljust(12, "0") if value.strip().isdigit() else ""
        region = Region.objects.filter(code=code).first() if code else None
        if region is None:
            raise serializers.ValidationError(_("No region has this code."))
        return region


class CaseViewSet(viewsets.GenericViewSet):
    """Typical cases (典型案例): published ones for every staff role, drafts for their county."""

    queryset = TypicalCase.objects.none()

    pagination_class = KeysFirstPagination
    serializer_class = CaseRowSerializer
    lookup_value_regex = r"[0-9]+"

    def _require(self, request):
        if not selectors.can_see_cases(request.user):
            raise PermissionDenied(_("The typical cases are for staff."))

    @extend_schema(
        summary="Cases in the caller's scope; q searches title, summary and text",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR),
            OpenApiParameter("domain", OpenApiTypes.STR, enum=Domain.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=CaseStatus.values),
        ],
        responses={
            200: CaseRowSerializer(many=True),
            400: error("An unknown domain or status."),
            403: error("Entrepreneurs see none of it."),
        },
    )
    def list(self, request):
        self._require(request)
        params = CaseFilterParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.cases_for(request.user, params.filters()))
        return self.get_paginated_response(CaseRowSerializer(page, many=True).data)

    @extend_schema(
        summary="One case",
        responses={200: CaseDetailSerializer, 404: error("No such case in your scope.")},
    )
    def retrieve(self, request, pk=None):
        return Response(CaseDetailSerializer(selectors.case_for(request.user, pk)).data)

    @extend_schema(
        summary="Draft a case (county staff for their county, the office for any)",
        request=CaseInputSerializer,
        responses={
            201: CaseDetailSerializer,
            400: error("Invalid input, a message per field (an unknown person's id too)."),
            403: error("Only county staff and the office draft cases."),
        },
    )
    def create(self, request):
        self._require(request)
        if not services.can_draft(request.user):
            raise PermissionDenied(_("County staff and the office draft typical cases."))
        data = CaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["people"] = [(p["kind"], p["id"]) for p in values.get("people", [])]
        case = services.case_create(actor=request.user, data=values)
        return Response(CaseDetailSerializer(selectors.case_for(request.user, case.pk)).data, 201)

    def _step(self, request, pk, step):
        case = selectors.case_for(request.user, pk)
        services.case_step(actor=request.user, case=case, step=step)
        return Response(CaseDetailSerializer(selectors.case_for(request.user, pk)).data)

    @extend_schema(
        summary="Recommend a draft (the county's staff or the office)",
        request=None,
        responses={
            200: CaseDetailSerializer,
            403: error("Not the county's staff or the office."),
            404: error("No such case in your scope."),
            409: error("Only a draft is recommended."),
        },
    )
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        return self._step(request, pk, "recommend")

    @extend_schema(
        summary="Publish a recommended case (the office)",
        request=None,
        responses={
            200: CaseDetailSerializer,
            403: error("Only the office publishes."),
            404: error("No such case in your scope."),
            409: error("Only a recommended case is published."),
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(request, pk, "publish")
