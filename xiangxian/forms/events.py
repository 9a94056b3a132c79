"""Forms of events (会务): the event, a programme item, inviting, check-in, an itinerary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xiangxian.models import EventKind, Invitation, Sector

MAX_IDS = 5000


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class EventForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = _moment(_("Starts at"))
    ends_at = _moment(_("Ends at"))
    venue = forms.CharField(label=_("Venue"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=100_000)
    organiser = forms.CharField(label=_("Organiser"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ProgrammeItemForm(_Styled):
    starts_at = _moment(_("Starts at"))
    ends_at = _moment(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200)
    what = forms.CharField(label=_("What"), max_length=200)
    audience = forms.ModelMultipleChoiceField(
        label=_("For (none chosen: everyone)"),
        queryset=Invitation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        field.queryset = Invitation.objects.filter(event=event).select_related("xiangxian")
        field.label_from_instance = lambda invitation: invitation.display_name

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("starts_at", "ends_at", "place", "what")}


class InviteForm(_Styled):
    ids = forms.CharField(
        label=_("Registry numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The numbers (#) of people in the registry, separated by spaces or commas."),
    )
    everyone_screened = forms.BooleanField(
        label=_("Also invite everyone matching the screening below"), required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        empty_label=_("All sectors"),
    )
    q = forms.CharField(label=_("Name, organisation or title"), required=False, max_length=100)
    key = forms.BooleanField(label=_("Key people only"), required=False)
    away = forms.BooleanField(label=_("Living away only (寓外)"), required=False)
    guests = forms.CharField(
        label=_("Guests without a record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One guest a line: name, mobile number."),
    )

    def clean_ids(self) -> list[int]:
        text = self.cleaned_data["ids"].replace(",", " ").replace("，", " ").replace("#", " ")
        ids = []
        for part in text.split():
            if not part.isdigit() or not 0 < int(part) < 2**63:
                raise forms.ValidationError(
                    _("“%(part)s” is not a registry number.") % {"part": part[:20]}
                )
            ids.append(int(part))
        if len(ids) > MAX_IDS:
            raise forms.ValidationError(
                _("Invite at most %(max)d people at once.") % {"max": MAX_IDS}
            )
        return ids

    def clean_guests(self) -> list[dict]:
        guests = []
        for number, line in enumerate(self.cleaned_data["guests"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 2:
                raise forms.ValidationError(
                    _("Line %(n)d: write the guest as “name, mobile number”.") % {"n": number}
                )
            guests.append({"name": parts[0], "phone": parts[1]})
        return guests

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("ids") or data.get("guests") or data.get("everyone_screened")
        ):
            raise forms.ValidationError(_("Choose at least one person or guest to invite."))
        return data


class CheckInForm(_Styled):
    token = forms.CharField(
        label=_("Code of the invitation"),
        max_length=100,
        help_text=_("Scan the QR code on the invitee's itinerary, or type the code."),
    )


class ItineraryForm(_Styled):
    hotel = forms.CharField(label=_("Hotel"), max_length=200, required=False)
    transport = forms.CharField(label=_("Transport"), max_length=200, required=False)
    seat = forms.CharField(label=_("Seat"), max_length=50, required=False)
