"""REST API of the comprehensive evaluation (``/api/v1/nonparty/evaluations/``): the list with
its filters, one evaluation, and the steps submit, review and return.

Scoped like the people: roles outside the archive get 403 on the list, 404 on an object; a
wrong role for a step 403, a step that does not fit the state 409, bad input 400."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from nonparty import selectors
from nonparty.models import EvaluationState
from nonparty.selectors import evaluation as ev
from nonparty.services import evaluation as services
from portal.api.pagination import KeysFirstPagination
from portal.api.serializers import ApiErrorSerializer


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


class _Named(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EvaluationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    # A plain string: one ``state`` enum in the schema would collide with other apps'.
    state = serializers.CharField(help_text=gettext_lazy("draft, submitted, reviewed or returned."))
    score = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("The weighted score, stored at review (null before)."),
    )
    grade = serializers.CharField(help_text=gettext_lazy("Stored at review (empty before)."))
    cadre = serializers.SerializerMethodField()

    def get_person(self, evaluation) -> _Named:
        return {"id": evaluation.person_id, "name": evaluation.person.name}

    def get_cadre(self, evaluation) -> _Named:
        return {"id": evaluation.cadre_id, "name": evaluation.cadre.display_name}


class _ScoreSerializer(serializers.Serializer):
    dimension = _Named()
    weight = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=4, decimal_places=1)
    adjusted = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    comment = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())


class EvaluationDetailSerializer(EvaluationRowSerializer):
    scheme = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()
    return_reason = serializers.CharField()
    review_note = serializers.CharField()
    actions = serializers.SerializerMethodField()

    def get_scheme(self, evaluation) -> dict:
        return {"id": evaluation.scheme_id, "version": evaluation.scheme.version}

    def get_scores(self, evaluation) -> _ScoreSerializer(many=True):
        weights = {d.pk: d.weight for d in evaluation.scheme.dimensions.all()}
        return [
            {
                "dimension": {"id": s.dimension_id, "name": s.dimension.name},
                "weight": weights.get(s.dimension_id),
                "score": str(s.score),
                "adjusted": None if s.adjusted is None else str(s.adjusted),
                "comment": s.comment,
                "evidence": list(s.evidence),
            }
            for s in evaluation.scores.all()
        ]

    def get_actions(self, evaluation) -> list[str]:
        return services.available_actions(self.context["request"].user, evaluation)


class EvaluationParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    grade = serializers.CharField(required=False, allow_blank=True, max_length=10)
    state = serializers.CharField(required=False, allow_blank=True)

    def validate_state(self, value):
        if value and value not in EvaluationState.values:
            raise serializers.ValidationError(
                _("Choose one of: %(values)s.") % {"values": ", ".join(EvaluationState.values)}
            )
        return value


class EvaluationStepSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    adjustments = serializers.DictField(
        child=serializers.DecimalField(max_digits=4, decimal_places=1),
        required=False,
        help_text=gettext_lazy("Review only: the dimension's id → the office's score."),
    )


EVALUATION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
STEP_RESPONSES = {
    200: EvaluationDetailSerializer,
    400: _error("Invalid input (a return without a reason; an unscored dimension)."),
    403: _error("Not yours to take."),
    404: _error("No such evaluation in your scope."),
    409: _error("The step does not fit the evaluation's state."),
}


class EvaluationViewSet(viewsets.GenericViewSet):
    """Comprehensive evaluations (综合评价) in the caller's scope."""

    pagination_class = KeysFirstPagination
    serializer_class = EvaluationRowSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return ev.evaluations_for(self.request.user)

    def _detail(self, pk) -> Response:
        evaluation = ev.evaluation_for(self.request.user, pk)
        return Response(
            EvaluationDetailSerializer(evaluation, context={"request": self.request}).data
        )

    @extend_schema(
        summary="Evaluations in the caller's scope, by year and the person's name",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("grade", OpenApiTypes.STR, description="A grade's label, e.g. 优秀."),
            OpenApiParameter("state", OpenApiTypes.STR, enum=EvaluationState.values),
        ],
        responses={
            200: EvaluationRowSerializer(many=True),
            400: _error("A year outside 2000–2100 or an unknown state."),
            403: _error("Roles outside the archive."),
        },
    )
    def list(self, request):
        if not selectors.can_see_archive(request.user):
            raise PermissionDenied(
                _("The non-party archive is for united-front staff and leaders.")
            )
        params = EvaluationParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = ev.evaluations_for(
            request.user,
            year=data.get("year"),
            grade=(data.get("grade") or "").strip(),
            state=data.get("state") or "",
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EvaluationRowSerializer(page, many=True).data)

    @extend_schema(
        summary="One evaluation with its scores and what the caller may do",
        parameters=[EVALUATION_ID],
        responses={
            200: EvaluationDetailSerializer,
            404: _error("No such evaluation in your scope."),
        },
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    def _step(self, request, pk, name):
        evaluation = ev.evaluation_for(request.user, pk)
        serializer = EvaluationStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.evaluation_transition(
            evaluation=evaluation,
            actor=request.user,
            action=name,
            reason=serializer.validated_data.get("reason", ""),
            adjustments=serializer.validated_data.get("adjustments") if name == "review" else None,
        )
        return self._detail(pk)

    @extend_schema(
        summary="Submit (the person's liaison cadre; every dimension scored)",
        parameters=[EVALUATION_ID],
        request=EvaluationStepSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, pk, "submit")

    @extend_schema(
        summary="Review (the office): stores the weighted score and grade; adjustments need a reason",
        parameters=[EVALUATION_ID],
        request=EvaluationStepSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._step(request, pk, "review")

    @extend_schema(
        summary="Return to the cadre with a reason (the office)",
        parameters=[EVALUATION_ID],
        request=EvaluationStepSerializer,
        responses=STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._step(request, pk, "return")
