"""Forms of the enterprise directory, and the search-as-you-type enterprise picker.

Usage: ``EnterprisePickerField`` is a ``ModelChoiceField`` whose widget is a text box that
searches as you type (htmx ``GET enterprises:search?q=…``, at most 20 matches, scoped with
``Enterprise.objects.visible_to(request.user)``) plus a hidden input, under the field's own name,
carrying the chosen enterprise's id. Give it the queryset the submitted id must belong to — the
user's scope, narrowed further if the form needs it — for example
``enterprise = EnterprisePickerField(label=_("Enterprise"))`` and, in the form's ``__init__``,
``self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)``; the default queryset
is ``Enterprise.objects.none()``, so a form that forgets to scope it accepts nothing. An id
outside the queryset is refused with "Choose an enterprise from the search results."; the options
are never rendered (10^5 enterprises must not become a dropdown), and the widget reads the chosen
enterprise's name back with one query when a bound form is shown again. Pages that use it output
``{{ form.media }}`` (it loads ``portal/js/picker.js``); the field works in GET filter forms too
(the text box has no name, so only the id is submitted). Pass ``placeholder=`` to change the hint.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, EnterpriseSize, IndustryChain, ListingStatus
from enterprises.selectors.directory import counties


def _as_pk(value) -> int | None:
    if isinstance(value, Enterprise):
        return value.pk
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


class EnterprisePickerWidget(forms.Widget):
    """A search box (no name) driving a hidden input that holds the chosen enterprise's id."""

    template_name = "enterprises/directory/widgets/enterprise_picker.html"

    class Media:
        js = ["portal/js/picker.js"]

    def __init__(self, attrs: dict | None = None, *, placeholder=None):
        super().__init__(attrs)
        self.placeholder = placeholder
        self.queryset = Enterprise.objects.none()

    def format_value(self, value) -> str | None:
        pk = _as_pk(value)
        return None if pk is None else str(pk)

    def _chosen(self, value) -> Enterprise | None:
        if isinstance(value, Enterprise):
            return value
        pk = _as_pk(value)
        if pk is None:
            return None
        # Only an enterprise the field would accept is shown back: never leak another's name.
        return self.queryset.filter(pk=pk).only("pk", "name", "uscc").first()

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        chosen = self._chosen(value)
        base_id = attrs.pop("id", None)
        invalid = attrs.get("aria-invalid") in (True, "true")
        classes = [c for c in attrs.pop("class", "").split() if c != "form-select"]
        if "form-control" not in classes:
            classes.insert(0, "form-control")
        if invalid and "is-invalid" not in classes:
            classes.append("is-invalid")
        context["widget"].update(
            {
                "input_id": base_id,
                "hidden_id": f"{base_id}_value" if base_id else None,
                "results_id": f"{base_id}_results" if base_id else None,
                "input_class": " ".join(classes),
                "chosen": chosen,
                "search_url": reverse("enterprises:search"),
                "placeholder": self.placeholder or _("Type a name or credit code"),
                "required": attrs.pop("required", False),
                "disabled": attrs.pop("disabled", False),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Like portal.widgets.RegionPickerWidget: the template lives in the project's templates/.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def id_for_label(self, id_: str) -> str:
        return id_  # the visible search box carries the field's own id


class EnterprisePickerField(forms.ModelChoiceField):
    """An enterprise chosen by searching; the submitted id must lie in ``queryset``."""

    widget = EnterprisePickerWidget
    default_error_messages = {
        "invalid_choice": _("Choose an enterprise from the search results."),
    }

    def __init__(self, queryset=None, *, placeholder=None, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(Enterprise.objects.none() if queryset is None else queryset, **kwargs)
        if placeholder is not None:
            self.widget.placeholder = placeholder

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


# --- the directory's own forms -----------------------------------------------------------------


class EnterpriseFilterForm(forms.Form):
    """The list page's search box and filters (GET). Every filter is a short, bounded list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or credit code"), "type": "search"}),
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=None, required=False, empty_label=_("All counties")
    )
    industry_chain = forms.ModelChoiceField(
        label=_("Industry chain"),
        queryset=IndustryChain.objects.all(),
        required=False,
        empty_label=_("All industry chains"),
    )
    size = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("All sizes")), *EnterpriseSize.choices],
    )
    listing_status = forms.ChoiceField(
        label=_("Listing status"),
        required=False,
        choices=[("", _("Any listing status")), *ListingStatus.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties()
        for name, field in self.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """The valid filters only: a tampered value drops its filter, not the whole page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        for name in self.errors:
            attrs = self.fields[name].widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        return {key: value for key, value in self.cleaned_data.items() if value}
