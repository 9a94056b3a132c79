"""The app's configuration in the admin site: units, duty lists with their items, and the
index schemes with their indicators (a new year's weights are a new scheme, so last year's
scores keep theirs)."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.models import DutyItem, DutyList, IndexScheme, Indicator, RuleKind, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "county", "in_charge", "active"]
    list_filter = ["domain", "active", "county"]
    search_fields = ["name", "contact_name"]
    raw_id_fields = ["region", "in_charge"]
    exclude = ["contact_phone_hash"]


class DutyItemInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        titles = [
            form.cleaned_data["title"].strip()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(titles) != len(set(titles)):
            raise ValidationError(_("Each duty of a list appears once."))


class DutyItemInline(admin.TabularInline):
    model = DutyItem
    formset = DutyItemInlineFormSet
    extra = 1
    fields = ["order", "title", "frequency", "evidence_required"]


@admin.register(DutyList)
class DutyListAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "county", "year", "active"]
    list_filter = ["domain", "active", "county"]
    inlines = [DutyItemInline]


class IndicatorInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = Decimal(0)
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if data.get("rule") == RuleKind.COMPUTED and not data.get("metric"):
                form.add_error("metric", _("A computed indicator names what it reads."))
            if data.get("rule") == RuleKind.SCORED and data.get("metric"):
                form.add_error("metric", _("A scored indicator reads nothing."))
            total += data.get("weight") or 0
        if self.instance.pk and self.instance.scores_locked():
            raise ValidationError(
                _("A locked period's scores use this scheme: add a new version instead.")
            )
        if not total and any(form.cleaned_data for form in self.forms):
            raise ValidationError(_("Give the indicators their weights."))


class IndicatorInline(admin.TabularInline):
    model = Indicator
    formset = IndicatorInlineFormSet
    extra = 1
    fields = ["order", "code", "name", "weight", "rule", "metric", "points_per_unit"]


@admin.register(IndexScheme)
class IndexSchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "domain", "version", "note"]
    list_filter = ["year", "domain"]
    inlines = [IndicatorInline]
