"""The units in the admin site, for administrators."""

from django.contrib import admin

from grassroots.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "county", "in_charge", "active"]
    list_filter = ["domain", "active", "county"]
    search_fields = ["name", "contact_name"]
    raw_id_fields = ["region", "in_charge"]
    exclude = ["contact_phone_hash"]
