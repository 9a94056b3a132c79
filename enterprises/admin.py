from django.contrib import admin

from enterprises.models import Enterprise, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "enterprise"
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["requested_at"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "created_at"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region"]
    list_select_related = ["region"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "enterprise", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__name", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["user", "enterprise", "decided_by"]
    list_select_related = ["user", "enterprise", "decided_by"]
