"""REST API of the dialogue sessions (``/api/v1/sessions/``) and the public screens
(``/api/v1/screens/``).

Sessions are scoped by ``DialogueSession.objects.visible_to`` (outside it: 404) and changed
through ``enterprises.services.sessions`` (wrong role 403, wrong moment 409, bad input 400 with
messages per field). An entrepreneur sees the sessions they were invited to: their own
invitation, and the session's appeals cut to what they may see (``SessionAppealRow``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from enterprises.api.serializers import ApiErrorSerializer, IdField
from enterprises.lifecycles import SESSION
from enterprises.models import DialogueSession, InvitationAnswer, Screen, SessionInvitation
from enterprises.selectors import sessions as selectors
from enterprises.selectors.celebrations import active_screens
from enterprises.services import sessions as services
from portal.api.serializers import IdNameSerializer
from portal.models import Role

# --- serializers ----------------------------------------------------------------------------

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field(
    {"type": "string", "pattern": TIME_PATTERN, "example": "14:30", "nullable": True}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Asia/Shanghai: ``HH:MM`` or ``HH:MM:SS``, no offset and no fraction.

    OpenAPI's ``format: time`` is RFC 3339's time with an offset, which these are not; the
    schema states the pattern instead. A time sent with an offset is refused, not shifted.
    """

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if parsed.tzinfo is not None:
            raise serializers.ValidationError(_("Give the time as HH:MM, without a time zone."))
        return parsed.replace(microsecond=0)


class SessionListSerializer(serializers.ModelSerializer):
    """One session with its counts (annotated by the selector: no query per row)."""

    # Plain strings: one enum named "status" (the appeal's) in the schema is enough.
    status = serializers.CharField(
        read_only=True, help_text=gettext_lazy("planned, held or summarised")
    )
    start_time = LocalTimeField(read_only=True, allow_null=True)
    invited_count = serializers.IntegerField(read_only=True)
    appeal_count = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Appeals recorded from the session.")
    )
    accepted_count = serializers.IntegerField(read_only=True)
    closed_count = serializers.IntegerField(read_only=True)
    closure_rate = serializers.SerializerMethodField(
        help_text=gettext_lazy("closed ÷ accepted, 0–1; null when nothing was accepted.")
    )

    class Meta:
        model = DialogueSession
        fields = [
            "id",
            "number",
            "theme",
            "held_on",
            "start_time",
            "venue",
            "status",
            "invited_count",
            "appeal_count",
            "accepted_count",
            "closed_count",
            "closure_rate",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_closure_rate(self, session: DialogueSession) -> float | None:
        return selectors.closure_rate(session)


class ExpertSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    organisation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    field = serializers.CharField(max_length=100, required=False, allow_blank=True)


class InvitationSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    enterprise = IdNameSerializer(read_only=True)
    answer = serializers.CharField(
        read_only=True, help_text=gettext_lazy("pending, accepted or declined")
    )

    class Meta:
        model = SessionInvitation
        fields = ["id", "user", "enterprise", "answer", "answer_note", "answered_at", "invited_at"]
        read_only_fields = fields

    @extend_schema_field(IdNameSerializer)
    def get_user(self, invitation: SessionInvitation) -> dict:
        return {"id": invitation.user_id, "name": invitation.user.display_name}


class SessionAppealSerializer(serializers.Serializer):
    """An appeal of the session as the caller may see it: another enterprise's appeal shows
    only its progress (its id, number, enterprise, title and instruction are null/empty)."""

    full = serializers.BooleanField(help_text=gettext_lazy("Whether the caller can open it."))
    id = serializers.IntegerField(source="pk", allow_null=True)
    number = serializers.CharField()
    enterprise = serializers.CharField()
    title = serializers.CharField()
    instruction = serializers.CharField()
    category = serializers.CharField()
    department = serializers.CharField()
    status = serializers.CharField()
    submitted_on = serializers.DateField()
    due_at = serializers.DateField(source="due_date", allow_null=True)
    closed_on = serializers.DateField(allow_null=True)


class SessionDetailSerializer(SessionListSerializer):
    """A session with its participants, its appeals' progress and the caller's next steps."""

    hosts = serializers.SerializerMethodField()
    experts = serializers.SerializerMethodField()
    invitations = serializers.SerializerMethodField(
        help_text=gettext_lazy("Everyone invited (staff), or only the caller's own invitation.")
    )
    minutes = serializers.SerializerMethodField(
        help_text=gettext_lazy("For the organisers and leaders; null for entrepreneurs.")
    )
    appeals = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(SessionListSerializer.Meta):
        fields = [
            *SessionListSerializer.Meta.fields,
            "agenda",
            "minutes",
            "hosts",
            "experts",
            "invitations",
            "appeals",
            "actions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(IdNameSerializer(many=True))
    def get_hosts(self, session: DialogueSession) -> list[dict]:
        return [{"id": u.pk, "name": u.display_name} for u in selectors.hosts_of(session)]

    @extend_schema_field(ExpertSerializer(many=True))
    def get_experts(self, session: DialogueSession) -> list[dict]:
        return ExpertSerializer(selectors.experts_of(session), many=True).data

    @extend_schema_field(InvitationSerializer(many=True))
    def get_invitations(self, session: DialogueSession) -> list[dict]:
        user = self._user()
        if user.has_role(Role.DISPATCHER, Role.LEADER, Role.ADMIN):
            invitations = selectors.invitations_of(session)
        else:
            own = selectors.invitation_of(session, user)
            invitations = [own] if own else []
        return InvitationSerializer(invitations, many=True).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes(self, session: DialogueSession) -> str | None:
        if self._user().has_role(Role.DISPATCHER, Role.LEADER, Role.ADMIN):
            return session.minutes
        return None

    @extend_schema_field(SessionAppealSerializer(many=True))
    def get_appeals(self, session: DialogueSession) -> list[dict]:
        rows = selectors.session_appeal_rows(session, self._user())
        return SessionAppealSerializer(rows, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, session: DialogueSession) -> list[str]:
        return sorted(step.replace("_", "-") for step in SESSION.available(session, self._user()))


class SessionCreateSerializer(serializers.Serializer):
    """Types only: numbers, hosts and dates are checked by the service."""

    number = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    theme = serializers.CharField(allow_blank=True, trim_whitespace=False)
    held_on = serializers.DateField()
    start_time = LocalTimeField(required=False, allow_null=True, default=None)
    venue = serializers.CharField(allow_blank=True, trim_whitespace=False)
    hosts = serializers.ListField(
        child=IdField(), required=False, default=list, help_text=gettext_lazy("Leaders' ids.")
    )
    agenda = serializers.CharField(required=False, allow_blank=True, default="")
    experts = ExpertSerializer(many=True, required=False, default=list)


class InviteSerializer(serializers.Serializer):
    user = IdField(help_text=gettext_lazy("A verified member of the enterprise."))
    enterprise = IdField()


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[InvitationAnswer.ACCEPTED.value, InvitationAnswer.DECLINED.value]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ScreenSerializer(serializers.ModelSerializer):
    kiosk_url = serializers.SerializerMethodField()

    class Meta:
        model = Screen
        fields = ["slug", "name", "location", "orientation", "kiosk_url"]
        read_only_fields = fields

    def get_kiosk_url(self, screen: Screen) -> str:
        """The public kiosk page of the screen (no login)."""
        path = reverse("screen-kiosk", args=[screen.slug])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


# --- views ------------------------------------------------------------------------------------


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ApiErrorSerializer, description=description)


ERRORS = {
    400: _error("Invalid input: besides detail and code, a list of messages per bad field."),
    401: _error("Missing or invalid token."),
    403: _error("The caller's role cannot do this."),
    404: _error("No such session in the caller's scope."),
    409: _error("Not possible in the session's current status."),
}
SESSION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The session's id."
)


@extend_schema_view(
    list=extend_schema(
        summary="Dialogue sessions the caller may see, newest first, with their counts",
        responses={200: SessionListSerializer, **{k: ERRORS[k] for k in (401,)}},
    ),
    retrieve=extend_schema(
        summary="One session with participants, counts and its appeals' progress",
        parameters=[SESSION_ID],
        responses={200: SessionDetailSerializer, **{k: ERRORS[k] for k in (401, 404)}},
    ),
)
class DialogueSessionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """亲清半月谈 dialogue sessions: dispatchers plan them and invite entrepreneurs; invited
    entrepreneurs answer; everyone in scope follows the appeals raised there."""

    lookup_value_regex = r"[0-9]+"
    # JSON only: the experts are a list of objects, which a form body cannot carry (it would be
    # dropped without a word); no session endpoint takes a file.
    parser_classes = [JSONParser]

    def get_queryset(self):
        return selectors.sessions_for(self.request.user)

    def get_serializer_class(self):
        return SessionListSerializer if self.action == "list" else SessionDetailSerializer

    def get_object(self) -> DialogueSession:
        return selectors.session_for(self.request.user, self.kwargs["pk"])

    def detail_response(self, session_pk: int, status_code: int = status.HTTP_200_OK, **kwargs):
        session = selectors.session_for(self.request.user, session_pk)
        data = SessionDetailSerializer(session, context=self.get_serializer_context()).data
        return Response(data, status=status_code, **kwargs)

    @extend_schema(
        summary="Plan a session (dispatcher), with its hosts and experts",
        request=SessionCreateSerializer,
        responses={201: SessionDetailSerializer, **{k: ERRORS[k] for k in (400, 401, 403)}},
    )
    def create(self, request):
        if not SESSION.allowed(request.user, "edit"):
            raise PermissionDenied(_("Only dispatchers plan dialogue sessions."))
        serializer = SessionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        experts = data.pop("experts")
        with transaction.atomic():
            session = services.session_create(actor=request.user, **data)
            for expert in experts:
                services.session_add_expert(session=session, actor=request.user, **expert)
        location = reverse("api:session-detail", args=[session.pk])
        return self.detail_response(
            session.pk, status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary="Invite a verified member of an enterprise (dispatcher; planned sessions)",
        parameters=[SESSION_ID],
        request=InviteSerializer,
        responses={200: SessionDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        session = self.get_object()
        SESSION.check(session, request.user, "invite")
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.session_invite(session=session, actor=request.user, **serializer.validated_data)
        return self.detail_response(session.pk)

    @extend_schema(
        summary="Answer the caller's invitation (entrepreneur; planned sessions)",
        parameters=[SESSION_ID],
        request=AnswerSerializer,
        responses={200: SessionDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        session = self.get_object()
        SESSION.check(session, request.user, "answer")
        invitation = selectors.invitation_of(session, request.user)
        if invitation is None:
            raise PermissionDenied(_("Only the invited person can answer this invitation."))
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.session_answer(
            invitation=invitation, actor=request.user, **serializer.validated_data
        )
        return self.detail_response(session.pk)


@extend_schema_view(
    list=extend_schema(
        summary="The public screens that show light-up days, with their kiosk pages",
        responses={200: ScreenSerializer(many=True), 401: ERRORS[401]},
    )
)
class ScreenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public screens (市行政中心, 机场, 高铁站…); each kiosk page needs no login."""

    serializer_class = ScreenSerializer
    pagination_class = None

    def get_queryset(self):
        return active_screens()
