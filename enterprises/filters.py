"""Filters of appeal lists, shared by the pages, the API and the exports.

The figure filters (``figure``, ``accepted_from``/``accepted_to``, ``county``, ``assigned_to``)
make every number of the dashboard clickable: they apply the very ``Q`` objects the figures are
counted with (``enterprises.selectors.stats``), so the list behind a number has that many rows.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from enterprises.models import Appeal, AppealCategory, DialogueSession, Source, Status
from enterprises.selectors import stats
from portal.models import Department, Region


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or ``1``/``0``); anything else is an error, not silently ignored."""

    widget = forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))])

    def to_python(self, value):
        if value in self.empty_values:
            return None
        lowered = str(value).strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def prepare_value(self, value):
        # Show a submitted "1"/"True" as the select's option.
        if value in (True, "1", "True", "true"):
            return "true"
        if value in (False, "0", "False", "false"):
            return "false"
        return value


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


FIGURE_LABELS = {
    "accepted": _("Accepted"),
    "closed": _("Closed"),
    "closed_on_time": _("Closed on time"),
    "closed_on_time_extended": _("Closed on time after an extension"),
    "closed_late": _("Closed late"),
    "rated": _("Rated by the enterprise"),
    "satisfied": _("Rated satisfied or basically satisfied"),
    "callbacks": _("Called back"),
    "callback_satisfied": _("Satisfied at the call-back"),
    "replied": _("Replied at least once"),
    "rehandled": _("Sent back for re-handling"),
    "overdue_open": _("Overdue and not yet replied"),
    "assignments": _("Routed to a department"),
    "sign_due": _("Signed for, or the sign-for day passed"),
    "signed_in_time": _("Signed for in time"),
    "disputed": _("Returned as misrouted within a working day"),
}
NO_COUNTY = _("No county recorded")
assert set(FIGURE_LABELS) == set(stats.FIGURES), "every figure needs a label"


class AppealFilterSet(django_filters.FilterSet):
    # One column of the appeal itself: no join, so no duplicates and no costly DISTINCT.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, distinct=False
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Lead department"),
        field_name="lead_department",
        queryset=Department.objects.all(),
        null_label=_("Not routed yet"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=AppealCategory.objects.all()
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Source.choices)
    # Bounded like a primary key: a 20-digit number would overflow the database driver (500).
    enterprise = django_filters.NumberFilter(
        label=_("Enterprise"), field_name="enterprise_id", min_value=1, max_value=2**63 - 1
    )
    overdue = StrictBooleanFilter(label=_("Overdue"), method="filter_overdue")
    supervised = StrictBooleanFilter(label=_("Supervised"), field_name="is_supervised")
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte"
    )
    accepted_from = django_filters.DateFilter(label=_("Accepted from"), method="filter_accepted")
    accepted_to = django_filters.DateFilter(label=_("Accepted until"), method="filter_accepted")
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=Region.objects.filter(level=Region.Level.COUNTY),
        null_label=NO_COUNTY,
        method="filter_county",
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Routed to"),
        queryset=Department.objects.all(),
        method="filter_assigned_to",
    )
    session = django_filters.ModelChoiceFilter(
        label=_("Dialogue session"),
        field_name="session",
        queryset=DialogueSession.objects.all(),
        null_label=_("Not raised at a dialogue session"),
    )
    figure = django_filters.ChoiceFilter(
        label=_("Figure"), choices=list(FIGURE_LABELS.items()), method="filter_figure"
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

    def filter_accepted(self, queryset, name, value):
        if name == "accepted_from":
            return queryset.filter(stats.period_q(value, None))
        return queryset.filter(stats.period_q(None, value))

    @extend_schema_field(OpenApiTypes.STR)  # a county's region id, or "null"
    def filter_county(self, queryset, name, value):
        return queryset.filter(stats.county_q(None if value == "null" else value))

    @extend_schema_field(OpenApiTypes.INT)  # a department id
    def filter_assigned_to(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(stats.appeals_with_assignment("assignments", today, value.pk))

    def filter_figure(self, queryset, name, value):
        """The appeals behind one figure: counted (accepted, not merged) and in its bucket."""
        today = timezone.localdate()
        queryset = queryset.filter(stats.counted_q())
        if value in stats.ASSIGNMENT_BUCKETS:
            department = self.form.cleaned_data.get("assigned_to")
            return queryset.filter(
                stats.appeals_with_assignment(value, today, department.pk if department else None)
            )
        return queryset.filter(stats.appeal_buckets(today)[value])


def figure_filter_chips(form) -> list[tuple[str, str]]:
    """(label, value) of the figure filters in force on a list's filter form, to show above a
    list opened from a number of the dashboard."""
    data = getattr(form, "cleaned_data", None) or {}
    shown = []
    if data.get("figure"):
        shown.append((_("Figure"), FIGURE_LABELS[data["figure"]]))
    start, end = data.get("accepted_from"), data.get("accepted_to")
    if start or end:
        period = f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
        shown.append((_("Accepted"), period))
    county = data.get("county")
    if county:
        shown.append((_("County"), NO_COUNTY if county == "null" else county.name))
    if data.get("assigned_to"):
        shown.append((_("Routed to"), data["assigned_to"].name))
    return shown


FIGURE_PARAMS = ("figure", "accepted_from", "accepted_to", "county", "assigned_to")


class StatsFilterForm(forms.Form):
    """The filters of the figures (dashboard, API, exports): ``from``/``to`` (day of
    acceptance, ``YYYY-MM-DD``), ``department``, ``category``, ``county``, ``source``,
    ``session`` and ``group_by``. Unknown ids, malformed dates, ``from`` after ``to`` and unknown
    groupings are errors on their field."""

    group_by = forms.CharField(label=_("Group by"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=AppealCategory.objects.all(), required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=Region.objects.filter(level=Region.Level.COUNTY),
        required=False,
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *Source.choices], required=False
    )
    session = forms.ModelChoiceField(
        label=_("Dialogue session"), queryset=DialogueSession.objects.all(), required=False
    )

    def __init__(self, *args, user=None, allowed_groupings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.allowed_groupings = allowed_groupings
        if user is not None:  # only the sessions this person may know of (heads: none)
            self.fields["session"].queryset = DialogueSession.objects.visible_to(user)
        date_field = {
            "required": False,
            "input_formats": ["%Y-%m-%d"],
            "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "error_messages": {"invalid": _("Enter a date as YYYY-MM-DD.")},
        }
        # "from" is a Python keyword, so these two fields are added by name.
        self.fields["from"] = forms.DateField(label=_("Accepted from"), **date_field)
        self.fields["to"] = forms.DateField(label=_("Accepted until"), **date_field)
        self.order_fields(["from", "to", "department", "category", "county", "source", "session"])
        for field in self.fields.values():
            field.error_messages.setdefault(
                "invalid_choice", _("Select a valid choice. That choice is not available.")
            )

    def clean_group_by(self):
        value = self.cleaned_data.get("group_by") or ""
        if not value:
            return None
        allowed = self.allowed_groupings or list(stats.GROUPINGS)
        if value not in allowed:
            raise forms.ValidationError(
                _("Group by one of: %(choices)s.") % {"choices": ", ".join(allowed)},
                code="invalid_choice",
            )
        return value

    def clean_department(self):
        department = self.cleaned_data.get("department")
        user = self.user
        if (
            department is not None
            and user is not None
            and stats.own_department_only(user)
            and department.pk != user.department_id
        ):
            raise forms.ValidationError(
                _("You can see the figures of your own department only."), code="scope"
            )
        return department

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period comes before its start."))
        return data

    def filters(self) -> "stats.StatsFilters":
        data = self.cleaned_data
        return stats.StatsFilters(
            date_from=data.get("from"),
            date_to=data.get("to"),
            department=data.get("department"),
            category=data.get("category"),
            county=data.get("county"),
            source=data.get("source") or "",
            session=data.get("session"),
        )
