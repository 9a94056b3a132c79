"""Admin of the enterprises app: reference lists are edited here; appeals are only read here.

Appeals change through the portal's services alone (every step writes its timeline event in the
same transaction), so their admin pages show everything and change nothing.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprises.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    Extension,
    IndustryChain,
    Membership,
)


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
class AppealAdmin(admin.ModelAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["linked"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
