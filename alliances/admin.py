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


# --- the villages' figures (村级报送) ---------------------------------------------------------
from alliances.models import Indicator, ReportStep, ReportValue, VillageReport  # noqa: E402


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """What villages report: administrators add indicators (with unit) and retire them."""

    list_display = ["name", "code", "unit", "is_amount", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active", "is_amount"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Reported values and the API name an indicator by its code: it stays once used.
        return ["code"] if obj is not None and obj.values.exists() else []


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportValueInline(_ReadOnlyInline):
    model = ReportValue
    fields = ["indicator", "value"]


class ReportStepInline(_ReadOnlyInline):
    model = ReportStep
    fields = ["at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = ["at"]


@admin.register(VillageReport)
class VillageReportAdmin(admin.ModelAdmin):
    """Read only: reports change through their workflow (pages, API, import), never here."""

    list_display = ["village", "period", "version", "status", "is_effective", "submitted_at"]
    list_filter = ["status", "is_effective", "period"]
    search_fields = ["village__name", "village__code"]
    list_select_related = ["village"]
    inlines = [ReportValueInline, ReportStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
