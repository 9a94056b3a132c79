"""Forms of the registry: the screening (乡贤通), a person's record, a saved search; services,
contributions and associations."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Region
from portal.tags import TagChoiceField
from portal.widgets import RegionChoiceField
from xiangxian.models import (
    PROVINCES,
    ContributionKind,
    Gender,
    Post,
    Referral,
    Sector,
    ServiceKind,
    Xiangxian,
)
from xiangxian.selectors import Screening

YES_NO = [("", _("Either")), ("true", _("Yes")), ("false", _("No"))]


class ScreeningForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or title"), required=False, max_length=100)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        empty_label=_("All sectors"),
    )
    hometown = RegionChoiceField(label=_("Hometown"), required=False)
    away = forms.ChoiceField(label=_("Lives away (寓外)"), choices=YES_NO, required=False)
    key = forms.BooleanField(label=_("Key people only"), required=False)
    tags = TagChoiceField(help_text=_("People carrying every tag chosen."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("q", "sector", "away"):
            widget = self.fields[name].widget
            widget.attrs["class"] = (
                "form-select form-select-sm" if name != "q" else "form-control form-control-sm"
            )
        self.fields["tags"].widget.attrs.update({"class": "form-select form-select-sm", "size": 4})
        self.fields["key"].widget.attrs["class"] = "form-check-input"

    def screening(self) -> Screening:
        """The criteria of a valid form; an invalid one screens nothing out (its errors show)."""
        if not self.is_bound or not self.is_valid():
            return Screening()
        data = self.cleaned_data
        return Screening(
            sector=data["sector"],
            tags=tuple(tag.pk for tag in data["tags"]),
            hometown=data["hometown"],
            away={"true": True, "false": False}.get(data["away"]),
            key=data["key"],
            q=data["q"].strip(),
        )


class XiangxianForm(forms.Form):
    """A person's record as the page shows it; the service checks it again and writes it."""

    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    hometown = RegionChoiceField(
        label=_("Hometown"),
        min_level=Region.Level.COUNTY,
        help_text=_("Down to the village where known."),
    )
    residence_province = forms.ChoiceField(
        label=_("Province lived in"),
        choices=[("", "—"), *((name, name) for name in PROVINCES)],
        required=False,
    )
    residence_city = forms.CharField(label=_("City lived in"), max_length=50, required=False)
    abroad = forms.CharField(
        label=_("Or, abroad: country or region"), max_length=50, required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.filter(is_active=True)
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    honours = forms.CharField(
        label=_("Honours"),
        max_length=200,
        required=False,
        help_text=_("For example 院士, 国医大师."),
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    id_number = forms.CharField(label=_("Resident ID number"), max_length=20, required=False)
    referral = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *Referral.choices], required=False
    )
    is_key = forms.BooleanField(label=_("Key person (重点人士)"), required=False)
    tags = TagChoiceField()
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirmed_new = forms.BooleanField(
        label=_("I have checked: this is someone not yet in the registry"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs.setdefault("class", "form-select")
            elif not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("tags", "version", "confirmed_new"):
            data.pop(name, None)
        return data


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=60)
    shared = forms.BooleanField(label=_("Colleagues may open it"), required=False, initial=True)


# --- services, contributions, associations -----------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money_field(label, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
    )


class ServiceRecordForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Service"), queryset=ServiceKind.objects.none())
    served_on = forms.DateField(label=_("Date"), widget=_date_input())
    provider = forms.CharField(
        label=_("Provider"),
        max_length=100,
        required=False,
        help_text=_("A bank, hotel, scenic spot …"),
    )
    value_yuan = _money_field(
        _("Value (yuan)"),
        help_text=_(
            "A loan amount, or the discount given; leave empty if it has no value in money."
        ),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, current_kind: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Active services, and a retired one only on the records that already have it.
        self.fields["kind"].queryset = ServiceKind.objects.filter(
            Q(is_active=True) | Q(pk=current_kind)
        ).order_by("sort_order", "name")


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Year"))
        super().__init__(required=False, min_value=1949, max_value=2100, **kwargs)


class ServiceFilterForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceKind.objects.order_by("sort_order", "name"),
        required=False,
        empty_label=_("All services"),
    )
    year = YearField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"

    def criteria(self) -> tuple:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data["kind"], self.cleaned_data["year"]


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContributionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    region = RegionChoiceField(
        label=_("Beneficiary village or township"), min_level=Region.Level.TOWNSHIP
    )
    made_on = forms.DateField(label=_("Date"), widget=_date_input())
    amount_yuan = _money_field(_("Amount (yuan)"))
    quantity = forms.DecimalField(
        label=_("Or a quantity"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=20, required=False, help_text=_("For example t, 人次.")
    )
    income_added_yuan = _money_field(_("Income added for villagers (yuan)"))
    collective_income_yuan = _money_field(_("Yearly collective income (yuan)"))
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )
    files = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_(
            "A PDF, photo or Office file; more can be attached on the contribution's page."
        ),
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("files", None)
        return data


class ContributionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ContributionKind.choices], required=False
    )
    year = YearField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["year"].widget.attrs["class"] = "form-control form-control-sm"

    def criteria(self) -> tuple:
        if not self.is_bound or not self.is_valid():
            return "", None
        return self.cleaned_data["kind"], self.cleaned_data["year"]


class AttachmentForm(forms.Form):
    files = forms.FileField(label=_("File"))


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=_date_input())
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


class MemberAddForm(forms.Form):
    xiangxian = forms.IntegerField(
        label=_("Registry number"),
        min_value=1,
        help_text=_("The number shown on the person's page (#…)."),
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=_date_input())


class OfficerForm(forms.Form):
    xiangxian = forms.ModelChoiceField(label=_("Member"), queryset=None)
    post = forms.ChoiceField(label=_("Post"), choices=Post.choices)
    term_start = forms.DateField(label=_("Term from"), widget=_date_input())
    term_end = forms.DateField(
        label=_("Term until"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty while the term lasts."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["xiangxian"].queryset = (
            members if members is not None else Xiangxian.objects.none()
        )
