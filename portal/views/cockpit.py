"""The leaders' cockpit (同心驾驶舱): ``/cockpit/`` and ``GET /api/v1/cockpit/``.

The office (dispatcher, leader, admin) chooses a county or the whole city; county staff see
their own county, and asking for another one is refused (403). A malformed period is 400 with
the reason; anyone else gets 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.cockpit import chooses_county, cockpit, counties, resolve_county
from portal.periods import PeriodError, period_from_params


@login_required
@require_GET
def cockpit_page(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        county = resolve_county(request.user, request.GET.get("county", ""))  # or 403
    except LookupError as exc:
        error, county = str(exc), None
    try:
        period = period_from_params(request.GET)
    except PeriodError as exc:
        error = error or str(exc)
        period = period_from_params({})
    sections = [] if error else cockpit(request.user, period, county)
    charts = [
        {
            "id": f"trend-{section.app}",
            "label": section.trend_label,
            "labels": [p["period"] for p in section.trend],
            "values": [p["value"] for p in section.trend],
        }
        for section in sections
    ]
    return render(
        request,
        "portal/cockpit/page.html",
        {
            "period": period,
            "error": error,
            "county": county,
            "counties": counties() if chooses_county(request.user) else [],
            "sections": sections,
            "charts": charts,
            "raw": {k: request.GET.get(k, "") for k in ("period", "from", "to")},
        },
        status=400 if error else 200,
    )


_FIGURE = inline_serializer(
    "CockpitFigure",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.FloatField(allow_null=True),
        "unit": serializers.CharField(),
        "url": serializers.CharField(),
        "previous": serializers.FloatField(allow_null=True),
        "change": serializers.FloatField(allow_null=True),
        "direction": serializers.CharField(),
    },
    many=True,
)


class CockpitView(APIView):
    """Every line of work's headline figures for a period and a county."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD (or a year)"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
            OpenApiParameter("period", str, description="2023, 2023H1 or 2023Q3"),
            OpenApiParameter("county", str, description="A county's 12- or 6-digit code"),
        ],
        responses=inline_serializer(
            "Cockpit",
            {
                "period": inline_serializer(
                    "CockpitPeriod",
                    {
                        "from": serializers.DateField(),
                        "to": serializers.DateField(),
                        "label": serializers.CharField(),
                    },
                ),
                "county": serializers.CharField(allow_null=True),
                "sections": inline_serializer(
                    "CockpitSection",
                    {
                        "app": serializers.CharField(),
                        "label": serializers.CharField(),
                        "figures": _FIGURE,
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request):
        try:
            county = resolve_county(request.user, request.query_params.get("county", ""))
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc) or None) from None
        except LookupError as exc:
            raise ApiValidationError({"county": [str(exc)]}) from None
        try:
            period = period_from_params(request.query_params)
        except PeriodError as exc:
            raise ApiValidationError({"period": [str(exc)]}) from None
        sections = cockpit(request.user, period, county)
        return Response(
            {
                "period": {
                    "from": period.start.isoformat(),
                    "to": period.end.isoformat(),
                    "label": period.label,
                },
                "county": county.code if county else None,
                "sections": [section.as_dict() for section in sections],
            }
        )
