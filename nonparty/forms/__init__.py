"""Forms of the archive: the people list's filters, a person's record, education, posts, growth
records, batches, liaison and handover. Each reads the request; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nonparty.models import (
    GROWTH_MODELS,
    Batch,
    Education,
    Field,
    Person,
    Post,
    Status,
    Talk,
    University,
)
from nonparty.selectors import Filters, cadres
from nonparty.services.people import PERSON_FIELDS
from portal.models import Department, Region
from portal.widgets import RegionSearchField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name, employer or position"), required=False, max_length=100)
    batch = forms.ModelChoiceField(
        label=_("Batch"), queryset=Batch.objects.all(), required=False, empty_label=_("All batches")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("Any field")), *Field.choices], required=False
    )
    cadre = forms.ModelChoiceField(
        label=_("Liaison cadre"), queryset=None, required=False, empty_label=_("Any cadre")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres()
        for name, field in self.fields.items():
            field.widget.attrs["class"] = (
                "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            )

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            batch=data["batch"],
            status=data["status"],
            field=data["field"],
            cadre=data["cadre"],
            q=data["q"].strip(),
        )


class PersonForm(forms.ModelForm):
    # Any county (or finer) of the whole region table: people come from everywhere.
    native_place = RegionSearchField(
        label=_("Native place (籍贯)"),
        min_level=Region.Level.COUNTY,
        help_text=_("Type a county's name or code and choose from the suggestions."),
    )
    photo_upload = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 2 MB."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [name for name in PERSON_FIELDS if name != "native_place"] + ["native_place"]
        widgets = {"birth_date": DateInput(), "cv": forms.Textarea(attrs={"rows": 4})}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class EducationForm(forms.ModelForm):
    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.all())

    class Meta:
        model = Education
        fields = ["degree", "full_time", "university", "discipline", "graduated_on"]
        widgets = {"graduated_on": DateInput()}


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["body", "organisation", "title", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


GROWTH_FIELDS = {
    "training": ["course", "organiser", "days", "dated_on", "notes"],
    "placement": ["placement_kind", "post", "dated_on", "ends_on", "notes"],
    "proposal": [
        "title",
        "year",
        "channel",
        "dated_on",
        "adopted",
        "adopting_department",
        "notes",
    ],
    "award": ["title", "awarded_by", "dated_on", "notes"],
    "action": ["action", "title", "dated_on", "notes"],
}


def growth_form_class(kind: str) -> type[forms.ModelForm]:
    """The form of one kind of growth record (``nonparty.models.GROWTH_MODELS``)."""
    model = GROWTH_MODELS[kind]
    widgets = {name: DateInput() for name in ("dated_on", "ends_on") if name in GROWTH_FIELDS[kind]}
    widgets["notes"] = forms.Textarea(attrs={"rows": 2})
    meta = type("Meta", (), {"model": model, "fields": GROWTH_FIELDS[kind], "widgets": widgets})
    attrs = {"Meta": meta}
    if kind == "proposal":
        attrs["adopting_department"] = forms.ModelChoiceField(
            label=_("Adopted by"),
            queryset=Department.objects.filter(is_active=True),
            required=False,
        )
    return type(f"{model.__name__}Form", (forms.ModelForm,), attrs)


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["name", "recognised_on", "approving_body"]
        widgets = {"recognised_on": DateInput()}


class BatchPeopleForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Candidates to add"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Candidates not yet in any batch."),
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["people"].queryset = queryset


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class LiaisonForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Liaison cadre"), queryset=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres()


class HandoverForm(forms.Form):
    from_cadre = forms.ModelChoiceField(label=_("From cadre"), queryset=None)
    to_cadre = forms.ModelChoiceField(label=_("To cadre"), queryset=None)
    on = forms.DateField(label=_("Handed over on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_cadre"].queryset = cadres()
        self.fields["to_cadre"].queryset = cadres()


class TalkPlanForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    cadre = forms.ModelChoiceField(label=_("Liaison cadre"), queryset=None)
    times = forms.IntegerField(label=_("Talks planned"), min_value=1, max_value=24, initial=2)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres()
        if people is not None:
            self.fields["person"].queryset = people


class TalkRecordForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["held_on", "form", "topics", "follow_ups"]
        widgets = {"held_on": DateInput(), "follow_ups": forms.Textarea(attrs={"rows": 3})}
