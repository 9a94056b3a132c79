"""Admin of the enterprises app: reference lists are edited here; appeals are only read here.

Appeals change through the portal's services alone (every step writes its timeline event in the
same transaction), so their admin pages show everything and change nothing.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    EscalationRule,
    Extension,
    IndustryChain,
    Membership,
    Reminder,
)
from enterprises.models.celebrations import Celebration, Screen
from enterprises.models.sessions import DialogueSession, SessionExpert, SessionInvitation
from enterprises.services.reminders import reminders_reschedule
from enterprises.services.stats import mark_enterprises


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(AppealCategory)
class AppealCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "sign_days", "handle_days", "sort_order", "is_active"]
    list_editable = ["sign_days", "handle_days", "sort_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "enterprise"
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["requested_at"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "uscc",
        "region",
        "industry_chain",
        "size",
        "listing_status",
        "created_at",
    ]
    list_filter = ["industry_chain", "size", "listing_status"]
    search_fields = ["name", "=uscc"]
    raw_id_fields = ["region"]
    list_select_related = ["region", "industry_chain"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # Figures group appeals by their enterprise's county: a move re-counts its appeals' days.
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "region" in form.changed_data:
                mark_enterprises([obj.pk])


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__name", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["user", "enterprise", "decided_by"]
    list_select_related = ["user", "enterprise", "decided_by"]


# --- appeals: read-only -----------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows every field and changes nothing: these rows change through the services alone."""

    also_readonly: tuple[str, ...] = ()  # many-to-many fields to show as well

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + list(self.also_readonly)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AppealEventInline(ReadOnlyInline):
    model = AppealEvent
    fields = ["at", "action", "actor", "from_status", "to_status", "note"]
    verbose_name_plural = _("timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fk_name = "appeal"
    fields = [
        "department",
        "assigned_by",
        "assigned_at",
        "sign_due_date",
        "signed_at",
        "returned_at",
        "return_reason",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "assigned_by")


class CoHandlingInline(ReadOnlyInline):
    model = CoHandling
    fields = ["department", "due_date", "submitted_at", "submitted_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "submitted_by")


class ExtensionInline(ReadOnlyInline):
    model = Extension
    fields = [
        "requested_by",
        "requested_at",
        "previous_due_date",
        "requested_due_date",
        "status",
        "decided_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "decided_by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    also_readonly = ("linked",)
    list_display = [
        "number",
        "title",
        "enterprise",
        "category",
        "status",
        "lead_department",
        "due_date",
        "is_supervised",
        "submitted_at",
    ]
    list_filter = ["status", "source", "category", "is_supervised", "lead_department"]
    search_fields = ["=number", "title", "enterprise__name", "=enterprise__uscc"]
    list_select_related = ["enterprise", "category", "lead_department"]
    ordering = ["-submitted_at", "-id"]
    show_full_result_count = False  # no COUNT(*) over the whole table on every page
    inlines = [AssignmentInline, CoHandlingInline, ExtensionInline, AppealEventInline]


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    """The escalation ladder. Saving a rung makes the next sweep look at every open appeal
    again, so an earlier or newly switched-on rung applies to appeals already under way."""

    list_display = [
        "name",
        "trigger",
        "offset_days",
        "notify_handlers",
        "notify_heads",
        "notify_dispatchers",
        "notify_supervisors",
        "repeat_daily",
        "is_active",
    ]
    list_filter = ["trigger", "is_active"]
    ordering = ["sort_order", "id"]
    fieldsets = [
        (None, {"fields": ["code", "name", "trigger", "offset_days", "is_active", "sort_order"]}),
        (
            _("Who is told"),
            {
                "fields": [
                    "notify_handlers",
                    "notify_heads",
                    "notify_dispatchers",
                    "notify_supervisors",
                    "notify_part_department",
                    "notify_enterprise",
                ]
            },
        ),
        (_("When"), {"fields": ["supervised_only", "repeat_daily", "auto_close"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reminders_reschedule()

    def has_delete_permission(self, request, obj=None):
        # A rung that has fired is on the record of its reminders: switch it off instead.
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["appeal", "rule", "deadline", "occurrence", "department", "recipients"]
    list_filter = ["rule"]
    list_select_related = ["appeal", "rule", "department"]
    search_fields = ["appeal__number"]
    date_hierarchy = "created_at"
    show_full_result_count = False


# --- dialogue sessions and light-up days ------------------------------------------------------
# Sessions, invitations and celebrations change through the portal's services (which notify
# people and check capacity under locks); their admin pages only read. Screens are edited here.


@admin.register(Screen)
class ScreenAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "location", "orientation", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active", "orientation"]
    search_fields = ["name", "location", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SessionExpertInline(ReadOnlyInline):
    model = SessionExpert
    fields = ["name", "organisation", "field"]


class SessionInvitationInline(ReadOnlyInline):
    model = SessionInvitation
    fields = ["user", "enterprise", "answer", "answered_at", "invited_by", "invited_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "enterprise", "invited_by")


@admin.register(DialogueSession)
class DialogueSessionAdmin(ReadOnlyAdmin):
    also_readonly = ("hosts",)
    list_display = ["number", "theme", "held_on", "venue", "status"]
    list_filter = ["status"]
    search_fields = ["=number", "theme", "venue"]
    ordering = ["-number"]
    inlines = [SessionExpertInline, SessionInvitationInline]


@admin.register(Celebration)
class CelebrationAdmin(ReadOnlyAdmin):
    also_readonly = ("screens",)
    list_display = ["enterprise", "kind", "screen_text", "starts_on", "ends_on", "status"]
    list_filter = ["status", "kind", "screens"]
    search_fields = ["screen_text", "enterprise__name"]
    list_select_related = ["enterprise"]
    ordering = ["-starts_on", "-id"]
