"""The archive's reference table in the admin site: administrators keep the universities and
their 双一流 flag as the published list says. People, batches and liaison are kept on the
archive's own pages, where every change is audited and numbers are masked."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nonparty.models import EvaluationScheme, SchemeDimension, SchemeGrade, University
from nonparty.services.evaluation import check_scheme, next_version


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "double_first_class"]
    list_filter = ["double_first_class", "province"]
    search_fields = ["name"]


# --- the comprehensive evaluation's scheme (综合评价) ----------------------------------------------


class _DimensionFormSet(forms.BaseInlineFormSet):
    """The weights of the dimensions kept must total 100 (each dimension named once)."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = [
            (form.cleaned_data.get("name", ""), form.cleaned_data.get("weight") or 0)
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_scheme(rows, [("-", Decimal(0))])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("dimensions", [])) from None


class _GradeFormSet(forms.BaseInlineFormSet):
    """Grades: each named once, on thresholds of their own, the lowest at 0."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        rows = [
            (form.cleaned_data.get("label", ""), form.cleaned_data.get("min_score") or Decimal(0))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_scheme([("-", 100)], rows)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("grades", [])) from None


class SchemeDimensionInline(admin.TabularInline):
    model = SchemeDimension
    formset = _DimensionFormSet
    fields = ["order", "name", "weight"]
    extra = 0
    min_num = 1


class SchemeGradeInline(admin.TabularInline):
    model = SchemeGrade
    formset = _GradeFormSet
    fields = ["label", "min_score"]
    extra = 0
    min_num = 1


class _SchemeForm(forms.ModelForm):
    class Meta:
        model = EvaluationScheme
        fields = ["year", "notes"]

    def clean(self):
        data = super().clean()
        scheme = self.instance
        if scheme.pk is not None and scheme.evaluations.exists():
            raise ValidationError(
                _(
                    "Evaluations were scored on this version, so it no longer changes: use "
                    "“Save as new” to make the next version of the year (the evaluations "
                    "already scored keep theirs)."
                )
            )
        return data


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(admin.ModelAdmin):
    """A year's scheme: dimensions with weights (total 100) and grade thresholds. A version
    with evaluations is frozen; “Save as new” makes the year's next version."""

    form = _SchemeForm
    inlines = [SchemeDimensionInline, SchemeGradeInline]
    list_display = ["year", "version", "notes", "created_at"]
    list_filter = ["year"]
    readonly_fields = ["version", "created_by", "created_at"]
    save_as = True
    save_as_continue = True

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.version = next_version(obj.year)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
