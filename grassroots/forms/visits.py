"""Forms of the supervision visits: the list's filters, a visit with its follow-up rows,
closing an item, tying a leader to a county."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.models import Unit
from grassroots.selectors.units import counties
from grassroots.selectors.visits import VisitFilters, follow_up_owners, leaders
from grassroots.services.visits import MAX_DUE_DAYS, FollowUpInput


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        widget.attrs["class"] = (
            "form-select" if isinstance(widget, forms.Select) else "form-control"
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisitFilterForm(forms.Form):
    county = forms.ModelChoiceField(
        label=_("County"), queryset=counties(), required=False, empty_label=_("All counties")
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties()
        _style(self)

    def filters(self) -> VisitFilters:
        if not self.is_bound or not self.is_valid():
            return VisitFilters()
        data = self.cleaned_data
        return VisitFilters(county=data["county"], start=data["start"], end=data["end"])


class CountyForm(forms.Form):
    """The first step of a new visit: which county (the leader's own by default)."""

    county = forms.ModelChoiceField(label=_("County"), queryset=counties())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties()
        _style(self)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    units = forms.ModelMultipleChoiceField(
        label=_("Units visited"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    findings = forms.CharField(
        label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, county, leader_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            Unit.objects.active().filter(county=county).order_by("domain", "name")
        )
        if leader_choice:
            self.fields["leader"] = forms.ModelChoiceField(label=_("Leader"), queryset=leaders())
        self.fields["visited_on"].initial = timezone.localdate()
        _style(self)

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be recorded before it happens."))
        return day


class FollowUpRowForm(forms.Form):
    """One follow-up row; a row left empty is skipped."""

    title = forms.CharField(label=_("Follow-up item"), max_length=200, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=follow_up_owners(), required=False)
    due_in_days = forms.IntegerField(
        label=_("Due in working days"), min_value=1, max_value=MAX_DUE_DAYS, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = follow_up_owners()
        self.fields["owner"].label_from_instance = lambda user: user.display_name
        _style(self)

    def clean(self):
        data = super().clean()
        if not data.get("title"):
            return data
        if data.get("owner") is None:
            self.add_error("owner", _("Each follow-up item needs an owner."))
        if data.get("due_in_days") is None:
            self.add_error("due_in_days", _("Say in how many working days it is due."))
        return data

    def item(self) -> FollowUpInput | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return FollowUpInput(data["title"], data["owner"], data["due_in_days"])


FollowUpFormSet = forms.formset_factory(FollowUpRowForm, extra=3, max_num=10)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TieForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=leaders())
    county = forms.ModelChoiceField(label=_("County"), queryset=counties())
    starts_on = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()
        self.fields["leader"].label_from_instance = lambda user: user.display_name
        self.fields["county"].queryset = counties()
        self.fields["starts_on"].initial = timezone.localdate()
        _style(self)
