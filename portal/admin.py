from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import services
from portal.masking import mask_mobile
from portal.models import (
    AuditLog,
    CalendarDay,
    CalendarYear,
    Delivery,
    Department,
    ExportJob,
    ImportJob,
    ImportMapping,
    Notification,
    NotificationPreference,
    Region,
    RoleGrant,
    Tag,
    TagCategory,
    User,
)
from portal.services.grants import check_scope

admin.site.site_header = _("Tongxin administration")
admin.site.site_title = _("Tongxin")
admin.site.index_title = _("Administration")


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["role", "department", "region"]

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned:
            check_scope(cleaned["role"], cleaned.get("department"), cleaned.get("region"))
        return cleaned


class RoleGrantInline(admin.TabularInline):
    """A user's further roles, each with its scope. Granted and revoked through the service
    (audited); a grant is never edited in place: revoke it and grant another."""

    model = RoleGrant
    fk_name = "user"
    form = RoleGrantForm
    extra = 0
    fields = ["role", "department", "region", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    raw_id_fields = ["region"]
    verbose_name_plural = _("further roles (with their scope)")

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record the portal writes (a delivery, a job, an audit row): the admin lists and shows
    it, and adds or changes none (deleting stays where a model allows it)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "role", "department", "masked_mobile", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "name"]
    list_select_related = ["department"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "email", "mobile")}),
        (_("Role"), {"fields": ("role", "department", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "role", "department", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleGrantInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for grant in formset.deleted_objects:
            services.role_revoke(grant=grant, actor=request.user, request=request)
        for grant in formset.new_objects:
            services.role_grant(
                user=form.instance,
                role=grant.role,
                department=grant.department,
                region=grant.region,
                actor=request.user,
                request=request,
            )

    @admin.display(description=_("mobile number"))
    def masked_mobile(self, obj: User) -> str:
        return obj.masked_mobile

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The change form shows the mobile number in full: that is a full view, so audit it.
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            user = self.get_object(request, object_id)
            if user is not None and user.mobile:
                services.audit_personal_view(
                    actor=request.user, target=user, fields=["mobile"], request=request
                )
        return response


class DepartmentAdminForm(forms.ModelForm):
    """The robot's signing secret is write-only: never shown, kept when left blank."""

    webhook_secret = forms.CharField(
        label=_("webhook secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave blank to keep the current secret."),
    )

    class Meta:
        model = Department
        fields = [
            "name",
            "short_name",
            "code",
            "is_active",
            "webhook_kind",
            "webhook_url",
            "webhook_secret",
            "sort_order",
        ]

    def clean_webhook_secret(self):
        value = self.cleaned_data["webhook_secret"]
        return value or (self.instance.webhook_secret if self.instance.pk else "")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentAdminForm
    list_display = ["name", "short_name", "code", "webhook_kind", "is_active", "sort_order"]
    list_filter = ["is_active", "webhook_kind"]
    search_fields = ["name", "short_name", "code"]
    prepopulated_fields = {"code": ["short_name"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_ethnic", "vintage"]
    list_filter = ["level", "is_ethnic", "vintage"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "by_email", "by_robot", "updated_at"]
    list_filter = ["by_email", "by_robot"]
    search_fields = ["user__username", "user__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: read-only, what was sent where and why it failed."""

    list_display = [
        "created_at",
        "channel",
        "status",
        "subject",
        "destination",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["key", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["notification__recipient", "department"]
    fields = [
        "key",
        "channel",
        "status",
        "destination",
        "subject",
        "text",
        "payload",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("to"))
    def destination(self, obj: Delivery) -> str:
        # The recipient, the department (never the robot's URL: it carries its token), or a
        # text message's number, masked.
        if obj.notification_id:
            return str(obj.notification.recipient)
        if obj.channel == Delivery.Channel.SMS:
            return mask_mobile(obj.phone)
        return str(obj.department)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Import jobs, to see what is waiting, running or failed and why, and the counts; read-only.
    The uploaded sheet and its rejected rows are downloaded by their owner from the import's
    page only (they hold personal data)."""

    list_display = [
        "uploaded_at",
        "uploaded_by",
        "kind",
        "status",
        "mode",
        "rows_total",
        "created",
        "rejected",
        "attempts",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["uploaded_by__username", "kind", "name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["uploaded_by"]
    fields = [
        "uploaded_by",
        "uploaded_at",
        "kind",
        "name",
        "size",
        "status",
        "mode",
        "rows_total",
        "progress",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "error",
        "attempts",
        "queued_at",
        "finished_at",
    ]
    readonly_fields = fields


@admin.register(ImportMapping)
class ImportMappingAdmin(ReadOnlyAdmin):
    """The header mappings remembered per person and kind; deleting one makes the next import of
    that sheet ask again."""

    list_display = ["user", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "kind"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "mapping", "updated_at"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Export jobs, to see what is queued, running or failed and why; read-only. Deleting a job
    deletes its workbook too (as the nightly purge does); the workbook itself is downloaded by
    its owner from the export's page only."""

    list_display = ["created_at", "owner", "kind", "status", "rows_done", "rows_total", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["owner__username", "kind", "filename"]
    date_hierarchy = "created_at"
    list_select_related = ["owner"]
    fields = [
        "owner",
        "kind",
        "params",
        "status",
        "rows_done",
        "rows_total",
        "filename",
        "error",
        "attempts",
        "claimed_until",
        "created_at",
        "finished_at",
    ]
    readonly_fields = fields

    def delete_model(self, request, obj: ExportJob) -> None:
        services.export_jobs_delete([(obj.pk, obj.file.name)])

    def delete_queryset(self, request, queryset) -> None:
        services.export_jobs_delete(list(queryset.values_list("pk", "file")))


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """Read-only: the trail can be searched, never edited."""

    list_display = ["at", "actor", "action", "target_type", "target_repr", "ip_address"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "target_id", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False


# --- tags -------------------------------------------------------------------------------------


class TagBadgeMixin:
    class Media:
        css = {"all": ["portal/css/tags.css"]}


class TagInline(admin.TabularInline):
    model = Tag
    extra = 1
    fields = ["name"]


@admin.register(TagCategory)
class TagCategoryAdmin(TagBadgeMixin, admin.ModelAdmin):
    list_display = ["name", "badge", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [TagInline]

    @admin.display(description=_("colour"))
    def badge(self, category: TagCategory) -> str:
        sample = Tag(category=category, name=category.get_colour_display())
        return format_html(
            '<span class="badge tag-badge {}">{}</span>', sample.css_classes, sample.name
        )


@admin.register(Tag)
class TagAdmin(TagBadgeMixin, admin.ModelAdmin):
    list_display = ["name", "badge", "category"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["name", "category__name"]

    @admin.display(description=_("tag"), ordering="name")
    def badge(self, tag: Tag) -> str:
        return format_html('<span class="badge tag-badge {}">{}</span>', tag.css_classes, tag.name)
