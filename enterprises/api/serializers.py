from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from enterprises.lifecycles import APPEAL
from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Attachment,
    CoHandling,
    Priority,
    Rating,
    Source,
)
from enterprises.selectors import timeline
from portal.api.serializers import ApiErrorSerializer as ApiErrorSerializer  # this app's views
from portal.api.serializers import IdNameSerializer


def api_action(name: str) -> str:
    """The API's spelling of a transition: ``request_info`` is ``/request-info/``."""
    return name.replace("_", "-")


# Every transition a person can take (``auto_close`` is the machine's), as the API spells it.
API_ACTIONS = tuple(
    api_action(transition.action) for transition in APPEAL if not transition.automatic
)


class RegisterSerializer(serializers.Serializer):
    """An entrepreneur's self-registration; checks are the service's, so the form and API agree."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    name = serializers.CharField(max_length=50)
    mobile = serializers.CharField(max_length=20)
    uscc = serializers.CharField(max_length=30)
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RegisteredSerializer(serializers.Serializer):
    username = serializers.CharField()
    status = serializers.CharField()


# --- the appeal loop ------------------------------------------------------------------------


class AppealCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = AppealCategory
        fields = ["id", "name", "guidance", "sign_days", "handle_days"]


class AppealListSerializer(serializers.ModelSerializer):
    """One row of an appeal list: only columns ``appeals_for`` already joins, no extra queries."""

    category = IdNameSerializer(read_only=True)
    enterprise = IdNameSerializer(read_only=True)
    department = IdNameSerializer(source="lead_department", read_only=True, allow_null=True)
    due_at = serializers.DateField(source="due_date", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "title",
            "status",
            "category",
            "enterprise",
            "department",
            "due_at",
            "overdue",
            "priority",
            "is_supervised",
            "source",
            "submitted_at",
        ]
        read_only_fields = fields


class CoDepartmentSerializer(serializers.Serializer):
    """A co-handling department of the assignment in force, with its own sub-deadline."""

    id = serializers.IntegerField(source="department.id")
    name = serializers.CharField(source="department.name")
    due_at = serializers.DateField(source="due_date")
    submitted_at = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "url"]

    def get_url(self, attachment: Attachment) -> str:
        """The scoped download page; it checks the caller may see the appeal."""
        path = reverse("appeals:attachment", args=[attachment.appeal_id, attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AppealEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    # Plain strings: the same values as an appeal's ``status`` (one enum in the schema, not three).
    from_status = serializers.CharField(
        help_text=_("The appeal's status before this step; empty for the submission.")
    )
    to_status = serializers.CharField(help_text=_("The appeal's status after this step."))
    attachments = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("Ids of the files added at this step.")
    )

    class Meta:
        model = AppealEvent
        fields = ["action", "actor", "at", "note", "from_status", "to_status", "attachments"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: AppealEvent) -> str | None:
        """The person's display name; null for the system (automatic closing)."""
        return event.actor.display_name if event.actor_id else None


class AppealDetailSerializer(AppealListSerializer):
    """The whole appeal with its routing, files, timeline and what the caller may do next."""

    co_departments = serializers.SerializerMethodField()
    original_due_at = serializers.DateField(
        source="original_due_date", read_only=True, allow_null=True
    )
    # "" until the enterprise rates the reply (a read-only field would lose allow_blank).
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True, read_only=True)
    actions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(AppealListSerializer.Meta):
        fields = [
            *AppealListSerializer.Meta.fields,
            "content",
            "co_departments",
            "original_due_at",
            "extended",
            "awaiting_info",
            "accepted_at",
            "replied_at",
            "closed_at",
            "rating",
            "merged_into",
            "actions",
            "attachments",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(CoDepartmentSerializer(many=True))
    def get_co_departments(self, appeal: Appeal) -> list[dict]:
        if appeal.current_assignment_id is None:
            return []
        co_handlings = CoHandling.objects.filter(
            assignment_id=appeal.current_assignment_id
        ).select_related("department")
        return CoDepartmentSerializer(co_handlings, many=True).data

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=sorted(API_ACTIONS)))
    )
    def get_actions(self, appeal: Appeal) -> list[str]:
        """What the caller could do right now, as the ``/appeals/{id}/<action>/`` path names."""
        request = self.context.get("request")
        if request is None:
            return []
        return [api_action(name) for name in APPEAL.available(appeal, request.user)]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, appeal: Appeal) -> list[dict]:
        return AttachmentSerializer(
            appeal.attachments.order_by("uploaded_at", "id"), many=True, context=self.context
        ).data

    @extend_schema_field(AppealEventSerializer(many=True))
    def get_events(self, appeal: Appeal) -> list[dict]:
        """The timeline, oldest first: the submission comes first."""
        return AppealEventSerializer(timeline(appeal), many=True).data


class IdField(serializers.IntegerField):
    """A row id: a positive integer within the database's range (else 400, never an overflow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class FilesField(serializers.ListField):
    """Files sent as repeated multipart ``files`` parts (none with JSON)."""

    child = serializers.FileField(allow_empty_file=True, use_url=False)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Attachments: PDF, images or Office files."))
        super().__init__(**kwargs)


class AppealCreateSerializer(serializers.Serializer):
    """Types only: which enterprise, category and source are allowed is the service's check."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)
    category = IdField(help_text=_("An id from /api/v1/appeal-categories/."))
    enterprise = IdField(
        help_text=_("One of the caller's verified enterprises (any, for dispatchers).")
    )
    source = serializers.ChoiceField(
        choices=Source.choices,
        required=False,
        default=Source.PLATFORM,
        help_text=_("Dispatchers record hotline, visit and session appeals."),
    )
    files = FilesField()


# --- transition inputs: one per action; texts are checked (blank, length) by the services ---


def _text(**kwargs):
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(**kwargs)


def _note():
    return _text(required=False, default="")


class NoteSerializer(serializers.Serializer):
    note = _note()


class RequiredNoteSerializer(serializers.Serializer):
    note = _text()


class ReasonSerializer(serializers.Serializer):
    reason = _text()


class QuestionSerializer(serializers.Serializer):
    question = _text()


class ContentSerializer(serializers.Serializer):
    content = _text()
    files = FilesField()


class AssignSerializer(serializers.Serializer):
    department = IdField(help_text=_("The lead department's id."))
    co_departments = serializers.ListField(child=IdField(), required=False, default=list)
    due_at = serializers.DateField(
        source="due_date",
        required=False,
        allow_null=True,
        help_text=_("Defaults to the category's limit in working days; may only be earlier."),
    )
    co_due_at = serializers.DateField(source="co_due_date", required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_null=True)
    note = _note()


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = _text(required=False, default="", help_text=_("Required when dissatisfied."))


class CallbackSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    note = _note()


class ExtendSerializer(serializers.Serializer):
    due_at = serializers.DateField(source="due_date")
    reason = _text()


class MergeSerializer(serializers.Serializer):
    into = IdField(help_text=_("The earlier appeal of the same enterprise."))
    note = _note()


class LinkSerializer(serializers.Serializer):
    other = IdField(help_text=_("Another appeal of the same enterprise."))
    note = _note()
