"""Forms of the typical-case library: the list's search and filters, a case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.forms.visits import _style
from grassroots.models import CaseStatus, Domain, Unit
from grassroots.selectors.cases import CaseFilters, reference_choices
from grassroots.selectors.units import counties
from grassroots.services.cases import MAX_PHOTOS


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("All domains")), *Domain.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def filters(self) -> CaseFilters:
        if not self.is_bound or not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        return CaseFilters(q=data["q"].strip(), domain=data["domain"], status=data["status"])


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault(
            "help_text", _("Up to %(n)d photos (PNG, JPEG, GIF or WebP).") % {"n": MAX_PHOTOS}
        )
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        # The service checks each file by its content (portal.files), as appeals do.
        if isinstance(data, list | tuple):
            return [upload for upload in data if upload]
        return [data] if data else []


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    region = forms.ModelChoiceField(label=_("County"), queryset=counties())
    summary = forms.CharField(
        label=_("Summary"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units involved"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    people = forms.CharField(
        label=_("People involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, as kind:id, e.g. xiangxian.person:12 or nonparty.person:7."),
    )
    photos = MultiplePhotoField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, region_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            region_choices if region_choices is not None else counties()
        )
        # Only the units the author may see (county staff: their county's).
        self.fields["units"].queryset = (
            Unit.objects.visible_to(user)
            .active()
            .select_related("county")
            .order_by("county__code", "name")
        )
        self.fields["units"].label_from_instance = lambda unit: f"{unit.county.name} · {unit}"
        kinds = ", ".join(f"{kind} ({label})" for kind, label in reference_choices())
        self.fields["people"].help_text = f"{self.fields['people'].help_text} {kinds}"
        _style(self)

    def clean_people(self):
        refs = []
        for line in (self.cleaned_data["people"] or "").splitlines():
            line = line.strip().replace("：", ":")
            if not line:
                continue
            kind, sep, ref_id = line.rpartition(":")
            if not sep or not ref_id.strip().isdigit():
                raise forms.ValidationError(
                    _("Write each person as kind:id (%(line)s).") % {"line": line}
                )
            refs.append((kind.strip(), int(ref_id)))
        return refs

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("photos", None)
        data.pop("version", None)
        return data
