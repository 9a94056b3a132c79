"""Filters of appeal lists, shared by the pages, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Appeal, AppealCategory, Source, Status
from portal.models import Department


class AppealFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Status.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Lead department"),
        field_name="lead_department",
        queryset=Department.objects.all(),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=AppealCategory.objects.all()
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    enterprise = django_filters.NumberFilter(label=_("Enterprise"), field_name="enterprise_id")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    supervised = django_filters.BooleanFilter(label=_("Supervised"), field_name="is_supervised")
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte"
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Appeal
        fields = ["status", "department", "category", "source", "enterprise", "overdue", "q"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=["accepted", "assigned", "in_progress"]) & Q(
            due_date__lt=timezone.localdate()
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_q(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        if value.upper().startswith("QH-"):
            return queryset.filter(number__startswith=value.upper())
        return queryset.filter(Q(title__icontains=value) | Q(enterprise__name__icontains=value))
