"""API of the president's yearly reports (``/api/v1/nonparty/president-reports/``): the
reports in the caller's scope with their review's counts (never a member's score)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets

from nonparty.api.views import _require_archive
from nonparty.selectors import associations as reads
from portal.api.pagination import KeysFirstPagination
from portal.api.serializers import ApiErrorSerializer


class PresidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PresidentReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    association = serializers.CharField(source="association.name")
    president = PresidentSerializer()
    year = serializers.IntegerField()
    state = serializers.CharField(help_text="draft, open or closed")
    responses = serializers.IntegerField(help_text="Members who have responded.")
    members = serializers.IntegerField(help_text="Members asked (links issued).")
    average = serializers.FloatField(
        allow_null=True, help_text="Mean of every aspect score (1–5); null before any."
    )


class ReportYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class PresidentReportViewSet(viewsets.GenericViewSet):
    """President's yearly reports of the associations (知联会会长述职)."""

    pagination_class = KeysFirstPagination
    serializer_class = PresidentReportRowSerializer

    def get_queryset(self):
        return reads.reports_for(self.request.user)

    @extend_schema(
        summary="President's reports in the caller's scope, latest year first",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Only this year.")],
        responses={
            200: PresidentReportRowSerializer(many=True),
            400: OpenApiResponse(ApiErrorSerializer, description="A year out of range."),
            403: OpenApiResponse(ApiErrorSerializer, description="Roles outside the archive."),
        },
    )
    def list(self, request):
        _require_archive(request.user)
        params = ReportYearSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(
            reads.reports_for(request.user, year=params.validated_data.get("year"))
        )
        averages = reads.averages([report.pk for report in page])
        for report in page:
            report.average = averages[report.pk]
        return self.get_paginated_response(PresidentReportRowSerializer(page, many=True).data)
