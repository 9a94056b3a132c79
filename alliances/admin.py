from django.contrib import admin

from alliances.models import (
    Activity,
    Alliance,
    AllianceKind,
    Base,
    MakerTeam,
    Membership,
    TourismFigure,
    VillageCompany,
)


class KindInline(admin.TabularInline):
    model = AllianceKind
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["region"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "founded_on", "lead_village", "status"]
    list_filter = ["status"]
    search_fields = ["name", "lead_village__name"]
    raw_id_fields = ["lead_village", "created_by"]
    list_select_related = ["lead_village"]
    inlines = [KindInline, MembershipInline]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(VillageCompany, Base)
class VillageRecordAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "alliance", "kind", "founded_on"]
    search_fields = ["name", "village__name"]
    raw_id_fields = ["village", "alliance", "created_by"]
    list_select_related = ["village", "alliance"]


@admin.register(MakerTeam)
class MakerTeamAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "alliance",
        "members_count",
        "projects_landed",
        "jobs_created",
        "benefit_yuan",
    ]
    list_select_related = ["alliance"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "alliance", "kind", "held_on", "participants"]
    list_filter = ["kind"]
    list_select_related = ["alliance"]


@admin.register(TourismFigure)
class TourismFigureAdmin(admin.ModelAdmin):
    list_display = ["alliance", "period", "visitors", "consumption_yuan"]
    list_select_related = ["alliance"]
