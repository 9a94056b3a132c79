from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from portal import services as portal_services
from xiangxian.models import (
    Association,
    AssociationMembership,
    AssociationOfficer,
    Contribution,
    Event,
    Invitation,
    Sector,
    ServiceKind,
    ServiceRecord,
    Xiangxian,
    XiangxianMerge,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]


@admin.register(Xiangxian)
class XiangxianAdmin(admin.ModelAdmin):
    """The registry as administrators see it: numbers masked in the list; opening a record shows
    them in full, and that view is audited. Merges are made on the registry's pages, where the
    duplicates are shown side by side; here a merged record is read-only."""

    list_display = ["name", "sector", "hometown", "residence", "away", "masked_phone", "is_key"]
    list_filter = ["sector", "away", "is_key", "referral"]
    search_fields = ["name", "organisation"]
    list_select_related = ["sector", "hometown"]
    autocomplete_fields = ["hometown"]
    raw_id_fields = ["account"]
    exclude = ["merged_into"]
    readonly_fields = ["away", "created_by", "created_at", "updated_at"]

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj: Xiangxian) -> str:
        return obj.masked_phone

    @admin.display(description=_("lives in"))
    def residence(self, obj: Xiangxian) -> str:
        return obj.residence

    def get_queryset(self, request):
        return super().get_queryset(request).current()

    def save_model(self, request, obj: Xiangxian, form, change: bool) -> None:
        # A change here bumps the version, so a form opened before it on the registry's pages
        # is refused instead of overwriting it (portal audits every admin change).
        if change:
            obj.version = F("version") + 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            person = self.get_object(request, object_id)
            shown = [name for name in ("phone", "id_number") if person and getattr(person, name)]
            if shown:
                portal_services.audit_personal_view(
                    actor=request.user, target=person, fields=shown, request=request
                )
        return response


@admin.register(XiangxianMerge)
class XiangxianMergeAdmin(admin.ModelAdmin):
    """Merges, read-only: who folded which record into which, and whether it was undone."""

    list_display = ["merged_at", "source", "target", "merged_by", "undone_at"]
    list_select_related = ["source", "target", "merged_by"]
    readonly_fields = [
        "source",
        "target",
        "moved",
        "merged_by",
        "merged_at",
        "undone_by",
        "undone_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceKind)
class ServiceKindAdmin(admin.ModelAdmin):
    """The catalogue of services (十项服务): renamed, added or retired here."""

    list_display = ["name", "code", "flagship", "sort_order", "is_active"]
    list_editable = ["flagship", "sort_order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ["served_on", "kind", "xiangxian", "provider", "value_yuan", "recorded_by"]
    list_filter = ["kind"]
    date_hierarchy = "served_on"
    search_fields = ["xiangxian__name", "provider"]
    list_select_related = ["kind", "xiangxian", "recorded_by"]
    raw_id_fields = ["xiangxian"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["made_on", "title", "kind", "xiangxian", "region", "amount_yuan", "quantity"]
    list_filter = ["kind"]
    date_hierarchy = "made_on"
    search_fields = ["title", "xiangxian__name"]
    list_select_related = ["xiangxian", "region"]
    raw_id_fields = ["xiangxian"]
    autocomplete_fields = ["region"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class AssociationOfficerInline(admin.TabularInline):
    model = AssociationOfficer
    raw_id_fields = ["xiangxian"]
    extra = 0


class AssociationMembershipInline(admin.TabularInline):
    model = AssociationMembership
    raw_id_fields = ["xiangxian"]
    extra = 0


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "founded_on"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [AssociationOfficerInline, AssociationMembershipInline]


@admin.register(AssociationOfficer)
class AssociationOfficerAdmin(admin.ModelAdmin):
    list_display = ["association", "post", "xiangxian", "term_start", "term_end"]
    list_filter = ["post", "association"]
    list_select_related = ["association", "xiangxian"]
    raw_id_fields = ["xiangxian"]


@admin.register(AssociationMembership)
class AssociationMembershipAdmin(admin.ModelAdmin):
    list_display = ["association", "xiangxian", "joined_on"]
    list_filter = ["association"]
    list_select_related = ["association", "xiangxian"]
    raw_id_fields = ["xiangxian"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are run on the registry's pages (invitations, waitlist, check-in go through the
    services there); the admin lists them and corrects a typo."""

    list_display = ["title", "kind", "starts_at", "venue", "capacity"]
    list_filter = ["kind"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organiser_user", "created_by"]
    readonly_fields = ["capacity", "created_by", "created_at", "updated_at"]

    def save_model(self, request, obj: Event, form, change: bool) -> None:
        if change:  # a form opened on the pages before this change is refused, not overwriting
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations, read only: answers come through the private link, check-in at the door.
    A guest's mobile number shows masked."""

    list_display = ["event", "invitee", "masked_guest_phone", "status", "checked_in_at"]
    list_filter = ["status"]
    list_select_related = ["event", "xiangxian"]
    search_fields = ["event__title", "xiangxian__name", "guest_name"]
    exclude = ["guest_phone", "token"]

    @admin.display(description=_("invitee"))
    def invitee(self, obj: Invitation) -> str:
        return obj.display_name

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
