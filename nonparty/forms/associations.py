"""Forms of the associations and the president's reports, and the member's review form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nonparty.forms import DateInput
from nonparty.models import Aspect, Person, PresidentReport, Status, Verdict
from portal.models import Region


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(
            code__startswith="3308", level__in=[Region.Level.CITY, Region.Level.COUNTY]
        ).order_by("code"),
    )
    president = forms.ModelChoiceField(
        label=_("President (会长)"),
        queryset=Person.objects.filter(status=Status.RECOGNISED).order_by("name"),
        required=False,
    )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PresidentReport
        fields = [
            "year",
            "text",
            "activities_held",
            "proposals_submitted",
            "proposals_adopted",
            "participations",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class OpenForm(forms.Form):
    closes_on = forms.DateField(label=_("Review closes on"), widget=DateInput())


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    """The member's scores: the overall verdict, 1–5 per aspect, an optional comment."""

    verdict = forms.ChoiceField(
        label=_("Overall"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    duty = forms.TypedChoiceField(
        label=Aspect.DUTY.label, choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    activities = forms.TypedChoiceField(
        label=Aspect.ACTIVITIES.label, choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    contact = forms.TypedChoiceField(
        label=Aspect.CONTACT.label, choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
