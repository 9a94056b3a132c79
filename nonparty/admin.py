"""The archive's reference table in the admin site: administrators keep the universities and
their 双一流 flag as the published list says. People, batches and liaison are kept on the
archive's own pages, where every change is audited and numbers are masked."""

from django.contrib import admin

from nonparty.models import University


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "double_first_class"]
    list_filter = ["double_first_class", "province"]
    search_fields = ["name"]
