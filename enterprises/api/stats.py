"""``GET /api/v1/stats/appeals/``: the figures of DESIGN §3 per group, and their total."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from enterprises.api.serializers import ApiErrorSerializer
from enterprises.filters import StatsFilterForm
from enterprises.selectors import stats

RATE_HELP = "A fraction 0–1; null where the denominator is 0."


class FigureRowSerializer(serializers.Serializer):
    """One group's figures (or the total, whose ``key`` is null)."""

    key = serializers.CharField(
        allow_null=True,
        help_text="The department, category, county or dialogue-session id, the source code, "
        "or YYYY-MM; null for appeals not yet routed (department), without a county, or not "
        "raised at a dialogue session.",
    )
    label = serializers.CharField()
    accepted = serializers.IntegerField(help_text="Appeals accepted in the period.")
    closed = serializers.IntegerField()
    closure_rate = serializers.FloatField(
        allow_null=True, help_text=f"closed ÷ accepted. {RATE_HELP}"
    )
    on_time_rate = serializers.FloatField(
        allow_null=True,
        help_text="Closed with the final reply on or before the deadline in force ÷ closed. "
        + RATE_HELP,
    )
    satisfaction_rate = serializers.FloatField(
        allow_null=True,
        help_text="Latest rating satisfied or basically satisfied ÷ rated. " + RATE_HELP,
    )
    sign_in_time_rate = serializers.FloatField(
        allow_null=True,
        help_text="Routings signed for by their sign-for day ÷ routings signed or past it. "
        + RATE_HELP,
    )
    return_rate = serializers.FloatField(
        allow_null=True,
        help_text="Routings returned within 1 working day ÷ routings. " + RATE_HELP,
    )
    rehandle_rate = serializers.FloatField(
        allow_null=True,
        help_text="Sent back by a dissatisfied rating at least once ÷ replied at least once. "
        + RATE_HELP,
    )
    avg_handling_days = serializers.FloatField(
        allow_null=True,
        help_text="Mean working days from acceptance to closure, clock stops excluded.",
    )
    overdue_open = serializers.IntegerField(
        help_text="Accepted, not yet replied, past the deadline in force today."
    )
    # Beyond the contract: what the rates are made of, and the figures shown beside them.
    median_handling_days = serializers.FloatField(
        allow_null=True,
        help_text="Median working days from acceptance to closure, clock stops excluded.",
    )
    closed_on_time = serializers.IntegerField()
    closed_on_time_extended = serializers.IntegerField(
        help_text="Closed on time only because an approved extension moved the deadline."
    )
    on_time_extended_rate = serializers.FloatField(allow_null=True)
    closed_late = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    callbacks = serializers.IntegerField(help_text="Call-backs, shown beside the ratings.")
    callback_satisfied = serializers.IntegerField()
    callback_satisfaction_rate = serializers.FloatField(allow_null=True)
    replied = serializers.IntegerField()
    rehandled = serializers.IntegerField()
    assignments = serializers.IntegerField()
    sign_due = serializers.IntegerField()
    signed_in_time = serializers.IntegerField()
    disputed = serializers.IntegerField()
    assignments_appeals = serializers.IntegerField(
        help_text="Appeals behind the routings (an appeal routed twice counts once): the "
        "length of the appeal list behind the routing figures."
    )
    sign_due_appeals = serializers.IntegerField()
    signed_in_time_appeals = serializers.IntegerField()
    disputed_appeals = serializers.IntegerField()


class AppealStatsSerializer(serializers.Serializer):
    rows = FigureRowSerializer(many=True)
    total = FigureRowSerializer()


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


class AppealStatsView(APIView):
    """Figures of the appeals the caller may see, per group; department heads get their own
    department's rows only."""

    @extend_schema(
        operation_id="v1_stats_appeals",
        summary="Closure, on-time, satisfaction, sign-for, return and re-handling figures",
        description=(
            "Appeals belong to a period by the day they were accepted (Asia/Shanghai) and to a "
            "department by their lead department in force; merged repeats count once, through "
            "their target. Sign-for and return figures are counted per routing and belong to "
            "the department the appeal was routed to. Readable by dispatchers, leaders, admins "
            "and department heads (their own department only). Served from a daily roll-up "
            "kept current by Celery; days changed since its last run are counted live, so the "
            "figures are never stale."
        ),
        parameters=[
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                enum=list(stats.GROUPINGS),
                description="Omit for the total only.",
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day of acceptance."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of acceptance."),
            OpenApiParameter("department", OpenApiTypes.INT),
            OpenApiParameter("category", OpenApiTypes.INT),
            OpenApiParameter("county", OpenApiTypes.INT, description="A county's region id."),
            OpenApiParameter(
                "source", OpenApiTypes.STR, enum=["platform", "session", "hotline", "visit"]
            ),
            OpenApiParameter("session", OpenApiTypes.INT, description="A dialogue session's id."),
        ],
        responses={
            200: AppealStatsSerializer,
            400: _error("Unknown grouping, malformed date, from after to, or an unknown id."),
            401: _error("Missing or invalid token."),
            403: _error("Entrepreneurs and handlers get no statistics."),
        },
    )
    def get(self, request):
        if not stats.can_view_stats(request.user):
            raise PermissionDenied(_("Statistics are for united-front staff and leaders."))
        form = StatsFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(_messages(form))
        result = stats.appeal_stats(request.user, form.filters(), form.cleaned_data.get("group_by"))
        return Response(result.as_dict())


def _messages(form) -> dict[str, list[str]]:
    return {
        "non_field_errors" if field == "__all__" else field: [str(e) for e in errors]
        for field, errors in form.errors.items()
    }
