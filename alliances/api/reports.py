"""REST API of the villages' figures: ``/api/v1/alliances/reports/`` (the reports in the caller's
scope, entering one, editing a draft, the workflow's steps, a correction) and
``/api/v1/alliances/figures/`` (the figures of a period by alliance or county).

Status codes as CONTRACT.md: roles outside the alliances 403 on the lists, a report outside the
caller's scope 404, a wrong role for a step 403, a step that does not fit the status 409 (so is
an edit of an approved report in place, and an edit based on an older ``revision``), bad input
400 with a message per field.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from alliances import figures as figures_module
from alliances import selectors
from alliances.models import ReportStatus, VillageReport
from alliances.periods import Period
from alliances.services import reports as report_services
from portal.api.pagination import PortalPagination
from portal.api.serializers import ApiErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


def _require_reader(user) -> None:
    if not selectors.can_see(user):
        raise PermissionDenied(_("The alliances are for united-front staff, leaders and villages."))


class _RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReportStepSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    note = serializers.CharField()

    def get_actor(self, step) -> str | None:
        return step.actor.display_name if step.actor else None


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    village = _RegionSerializer()
    period = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    is_effective = serializers.BooleanField()
    revision = serializers.IntegerField()
    values = serializers.SerializerMethodField()
    return_reason = serializers.CharField()
    correction_reason = serializers.CharField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)

    def get_values(self, report) -> dict[str, str]:
        return {v.indicator.code: str(v.value) for v in report.values.all()}


class ReportDetailSerializer(ReportSerializer):
    actions = serializers.SerializerMethodField()
    steps = ReportStepSerializer(many=True)
    versions = serializers.SerializerMethodField()

    def get_actions(self, report) -> list[str]:
        user = self.context["request"].user
        found = report_services.available_actions(user, report)
        if report_services.may_edit(user, report):
            found.append("edit")
        if report_services.may_correct(user, report):
            found.append("correct")
        return found

    def get_versions(self, report) -> list[dict]:
        return [
            {"id": v.pk, "version": v.version, "status": v.status, "is_effective": v.is_effective}
            for v in VillageReport.objects.filter(
                village_id=report.village_id, period=report.period
            ).order_by("version")
        ]


class ReportCreateSerializer(serializers.Serializer):
    village = serializers.CharField(help_text="The village's 12-digit statistical code.")
    period = serializers.CharField(help_text="2023H1, 2023H2 or 2023.")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True), required=False
    )


class ReportUpdateSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True))
    revision = serializers.IntegerField(required=False)


class ReportStepInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(required=False)


REPORT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ReportViewSet(viewsets.GenericViewSet):
    """Village reports (村级报送) in the caller's scope: the newest period first."""

    pagination_class = PortalPagination
    lookup_value_regex = r"[0-9]+"
    serializer_class = ReportSerializer

    def get_queryset(self):
        return (
            VillageReport.objects.visible_to(self.request.user)
            .select_related("village")
            .prefetch_related("values__indicator")
        )

    def _report(self, pk) -> VillageReport:
        return get_object_or_404(self.get_queryset().prefetch_related("steps__actor"), pk=pk)

    def _detail(self, report, code=status.HTTP_200_OK, **kwargs) -> Response:
        report = self._report(report.pk)
        data = ReportDetailSerializer(report, context={"request": self.request}).data
        return Response(data, status=code, **kwargs)

    @extend_schema(
        summary="Village reports in the caller's scope",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values),
            OpenApiParameter("village", OpenApiTypes.STR, description="12-digit code."),
        ],
        responses={200: ReportSerializer(many=True), 403: _error("Roles outside the alliances.")},
    )
    def list(self, request):
        _require_reader(request.user)
        reports = self.get_queryset()
        errors = {}
        if period := request.query_params.get("period"):
            try:
                reports = reports.filter(period=Period.parse(period).code)
            except ValueError:
                errors["period"] = [_("Enter a period as a year or a half year, e.g. 2023H1.")]
        if wanted := request.query_params.get("status"):
            if wanted not in ReportStatus.values:
                errors["status"] = [_("Unknown status.")]
            reports = reports.filter(status=wanted)
        if village := request.query_params.get("village"):
            reports = reports.filter(village__code=village)
        if errors:
            raise serializers.ValidationError(errors)
        page = self.paginate_queryset(reports)
        return self.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(
        summary="One report with its steps, its versions and what the caller may do",
        parameters=[REPORT_ID],
        responses={200: ReportDetailSerializer, 404: _error("No such report in your scope.")},
    )
    def retrieve(self, request, pk=None):
        return self._detail(self._report(pk))

    @extend_schema(
        summary="Enter a village's figures for a period (the village's reporter)",
        request=ReportCreateSerializer,
        responses={
            201: ReportDetailSerializer,
            400: _error("Invalid input: a list of messages per bad field."),
            403: _error("Only the village's reporter enters its figures."),
            409: _error("The village already has a report for the period."),
        },
    )
    def create(self, request):
        _require_reader(request.user)
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_services.report_create(actor=request.user, **serializer.validated_data)
        location = reverse("api:alliance-report-detail", args=[report.pk])
        return self._detail(report, status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Change a draft's or a returned report's figures (409 once submitted or approved)",
        parameters=[REPORT_ID],
        request=ReportUpdateSerializer,
        responses={
            200: ReportDetailSerializer,
            400: _error("Invalid input."),
            403: _error("Only the village's reporter edits its figures."),
            404: _error("No such report in your scope."),
            409: _error("Locked (submitted or approved), or changed since `revision`."),
        },
    )
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        report = self._report(pk)
        if not report_services.is_reporter_of(request.user, report.village):
            raise PermissionDenied(_("Only the village's reporter enters its figures."))
        serializer = ReportUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_services.report_update(
            report=report, actor=request.user, **serializer.validated_data
        )
        return self._detail(report)

    def _step(self, request, pk, name):
        report = self._report(pk)
        serializer = ReportStepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_services.report_transition(
            report=report, actor=request.user, action=name, **serializer.validated_data
        )
        return self._detail(report)

    _STEP_RESPONSES = {
        200: ReportDetailSerializer,
        400: _error("Invalid input (a return without a reason; missing figures)."),
        403: _error("Not yours to take."),
        404: _error("No such report in your scope."),
        409: _error("The step does not fit the report's status."),
    }

    @extend_schema(
        summary="Submit (the village's reporter)",
        parameters=[REPORT_ID],
        request=ReportStepInputSerializer,
        responses=_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, "submit")

    @extend_schema(
        summary="Check (county staff of the village's county)",
        parameters=[REPORT_ID],
        request=ReportStepInputSerializer,
        responses=_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        return self._step(request, pk, "check")

    @extend_schema(
        summary="Approve (the office); the version comes into force",
        parameters=[REPORT_ID],
        request=ReportStepInputSerializer,
        responses=_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, pk, "approve")

    @extend_schema(
        summary="Return to the village with a reason (county staff or the office)",
        parameters=[REPORT_ID],
        request=ReportStepInputSerializer,
        responses=_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._step(request, pk, "return")

    @extend_schema(
        summary="Correct an approved report: a new version (with a reason)",
        parameters=[REPORT_ID],
        request=ReportStepInputSerializer,
        responses={**_STEP_RESPONSES, 201: ReportDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        report = self._report(pk)
        serializer = ReportStepInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = report_services.report_correct(
            report=report, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._detail(new, status.HTTP_201_CREATED)


class FiguresView(APIView):
    """The villages' figures of one period, by alliance or by county."""

    @extend_schema(
        summary="Figures of a period: villages reporting, totals and averages (yuan)",
        description=figures_module.__doc__,
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, required=True, description="2023H1"),
            OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(figures_module.GROUPS)),
        ],
        responses={
            200: inline_serializer(
                "AllianceFigures",
                {
                    "period": serializers.CharField(),
                    "rows": serializers.ListField(child=serializers.DictField()),
                    "total": serializers.DictField(),
                },
            ),
            400: _error("A malformed period or an unknown grouping."),
            403: _error("Roles outside the alliances."),
        },
    )
    def get(self, request):
        _require_reader(request.user)
        errors = {}
        try:
            period = Period.parse(request.query_params.get("period", ""))
        except ValueError:
            errors["period"] = [
                _("Enter a period as a year or a half year, e.g. 2023H1, 2023H2 or 2023.")
            ]
        group_by = request.query_params.get("group_by") or "alliance"
        if group_by not in figures_module.GROUPS:
            errors["group_by"] = [_("Group by alliance or county.")]
        if errors:
            raise serializers.ValidationError(errors)
        return Response(figures_module.figures(request.user, period, group_by))
