"""API of the supervision visits: ``/api/v1/grassroots/visits/`` (list, one, record) and
``/api/v1/grassroots/follow-ups/{id}/close/``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.serializers import RegionRefSerializer, UnitFilterParamsSerializer
from grassroots.api.views import error
from grassroots.models import FollowUp, Unit, Visit
from grassroots.selectors import visits as selectors
from grassroots.services import visits as services
from portal.api.pagination import KeysFirstPagination
from portal.models import User


class VisitFilterParamsSerializer(serializers.Serializer):
    county = serializers.CharField(required=False, help_text=gettext_lazy("A county's code."))
    # ``from`` is a Python keyword: declared below under its public name.
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    validate_county = UnitFilterParamsSerializer.validate_county

    def filters(self) -> selectors.VisitFilters:
        data = self.validated_data
        return selectors.VisitFilters(
            county=data.get("county"), start=data.get("from"), end=data.get("to")
        )


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    domain = serializers.CharField()


class FollowUpSerializer(serializers.ModelSerializer):
    owner = PersonRefSerializer()
    closed_on = serializers.DateField(allow_null=True)
    closed_by = PersonRefSerializer(allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "title",
            "owner",
            "due_in_days",
            "due_on",
            "closed_on",
            "closed_by",
            "close_note",
        ]


class VisitSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="visited_on")
    county = RegionRefSerializer()
    leader = PersonRefSerializer()
    units = UnitRefSerializer(many=True)
    follow_ups = FollowUpSerializer(many=True)

    class Meta:
        model = Visit
        fields = ["id", "date", "county", "leader", "units", "findings", "follow_ups", "version"]


class FollowUpInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    due_in_days = serializers.IntegerField(min_value=1, max_value=services.MAX_DUE_DAYS)


class VisitInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    county = serializers.CharField(help_text=gettext_lazy("A county's code (6 or 12 digits)."))
    units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    findings = serializers.CharField(max_length=5000)
    follow_ups = FollowUpInputSerializer(many=True, required=False)
    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=gettext_lazy("The office records a visit for a leader; a leader, their own."),
    )

    validate_county = UnitFilterParamsSerializer.validate_county


class CloseInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class VisitViewSet(viewsets.GenericViewSet):
    """Leaders' supervision visits (督导) in the caller's scope."""

    queryset = Visit.objects.none()

    pagination_class = KeysFirstPagination
    serializer_class = VisitSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        summary="Visits in the caller's scope",
        parameters=[
            OpenApiParameter("county", OpenApiTypes.STR, description="A county's code."),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={
            200: VisitSerializer(many=True),
            400: error("An unknown county or a malformed date."),
            403: error("Roles outside the app see none of it."),
        },
    )
    def list(self, request):
        if not selectors.can_see_visits(request.user):
            raise PermissionDenied(_("The supervision visits are for the office and leaders."))
        params = VisitFilterParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.visits_for(request.user, params.filters()))
        return self.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(
        summary="One visit",
        responses={200: VisitSerializer, 404: error("No such visit in your scope.")},
    )
    def retrieve(self, request, pk=None):
        return Response(VisitSerializer(selectors.visit_for(request.user, pk)).data)

    @extend_schema(
        summary="Record a visit (a leader their own; the office for a leader)",
        request=VisitInputSerializer,
        responses={
            201: VisitSerializer,
            400: error("Invalid input, a message per field."),
            403: error("Only leaders and the office record visits."),
        },
    )
    def create(self, request):
        if not selectors.can_record_visits(request.user):
            raise PermissionDenied(_("Only leaders and the office record visits."))
        data = VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        visit = services.visit_record(
            actor=request.user,
            county=values["county"],
            visited_on=values["date"],
            findings=values["findings"],
            units=values.get("units", []),
            follow_ups=[services.FollowUpInput(**item) for item in values.get("follow_ups", [])],
            leader=values.get("leader"),
        )
        return Response(VisitSerializer(selectors.visit_for(request.user, visit.pk)).data, 201)


class FollowUpViewSet(viewsets.GenericViewSet):
    """Follow-up items of visits."""

    queryset = FollowUp.objects.none()

    serializer_class = FollowUpSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        summary="Close a follow-up item with a note",
        request=CloseInputSerializer,
        responses={
            200: FollowUpSerializer,
            400: error("No note."),
            403: error("Not the owner, the leader or the office."),
            404: error("No such item in your scope."),
            409: error("Already closed."),
        },
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        item = selectors.follow_up_for(request.user, pk)
        data = CloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        closed = services.follow_up_close(
            actor=request.user, item=item, note=data.validated_data["note"]
        )
        closed = FollowUp.objects.select_related("owner", "closed_by").get(pk=closed.pk)
        return Response(FollowUpSerializer(closed).data)
