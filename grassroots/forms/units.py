"""The units list's filters (page), the same as the API's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.models import Domain
from grassroots.selectors import UnitFilters, counties


class UnitFilterForm(forms.Form):
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("All domains")), *Domain.choices], required=False
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=counties(), required=False, empty_label=_("All counties")
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties()
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filters(self) -> UnitFilters:
        if not self.is_bound or not self.is_valid():
            return UnitFilters()
        data = self.cleaned_data
        return UnitFilters(domain=data["domain"], county=data["county"], q=data["q"].strip())
