"""Forms of the alliances' pages: an alliance, a member joining or leaving, and the records
entered on an alliance's page (companies, bases, maker teams, activities, tourism)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import ActivityKind, Alliance, Kind, MembershipRole
from portal.models import Region
from portal.widgets import RegionChoiceField


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _village_code_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        min_length=12,
        help_text=_(
            "The village's 12-digit statistical code (e.g. 330825206201); villages outside the "
            "city too."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{12}"}),
    )


class AllianceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    founded_on = forms.DateField(label=_("Founded on"), widget=_date_input())
    lead_village = RegionChoiceField(
        label=_("Lead village"), min_level=Region.Level.VILLAGE, max_level=Region.Level.VILLAGE
    )
    status = forms.ChoiceField(label=_("Status"), choices=Alliance.Status.choices)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea({"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MemberAddForm(forms.Form):
    region = _village_code_field(_("Village code"))
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=_date_input())


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=_date_input())


class VillageRecordForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    village = _village_code_field(_("Village code"))
    kind = forms.CharField(label=_("Kind"), max_length=50, required=False)
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=_date_input())


class MakerTeamForm(forms.Form):
    name = forms.CharField(label=_("Team"), max_length=100)
    members_count = forms.IntegerField(label=_("Makers"), min_value=0, initial=0)
    projects_landed = forms.IntegerField(label=_("Projects landed"), min_value=0, initial=0)
    jobs_created = forms.IntegerField(label=_("Jobs created"), min_value=0, initial=0)
    benefit_yuan = forms.DecimalField(
        label=_("Economic benefit (yuan)"), min_value=0, decimal_places=2, initial=0
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea({"rows": 2})
    )


class TourismForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=6, help_text=_("A year (2023) or a half year (2023H1).")
    )
    visitors = forms.IntegerField(label=_("Visitors (person-times)"), min_value=0)
    consumption_yuan = forms.DecimalField(
        label=_("Tourist consumption (yuan)"), min_value=0, decimal_places=2
    )


class CoverageDayForm(forms.Form):
    on = forms.DateField(label=_("On"), required=False, widget=_date_input())
