"""Forms of the light-up day pages; the rules (capacity, dates, image kind) are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms.directory import EnterprisePickerField
from enterprises.models import CelebrationKind, Enterprise
from enterprises.models.celebrations import MAX_DAYS, SCREEN_TEXT_MAX, SCREEN_TEXT_MIN
from enterprises.selectors.celebrations import active_screens
from portal.models import Role, User

IMAGE_ACCEPT = ".png,.jpg,.jpeg,.gif,.webp,image/png,image/jpeg,image/gif,image/webp"


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CelebrationForm(forms.Form):
    """A request for a light-up day: the enterprise's own, or one staff make for it."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    kind = forms.ChoiceField(label=_("Milestone"), choices=CelebrationKind.choices)
    screen_text = forms.CharField(
        label=_("Text on the screens"),
        max_length=SCREEN_TEXT_MAX,
        min_length=SCREEN_TEXT_MIN,
        help_text=_("%(min)d to %(max)d characters, one line, shown in large type.")
        % {"min": SCREEN_TEXT_MIN, "max": SCREEN_TEXT_MAX},
    )
    starts_on = _date(_("First day"))
    ends_on = _date(
        _("Last day"), help_text=_("At most %(days)d days in all.") % {"days": MAX_DAYS}
    )
    screens = forms.ModelMultipleChoiceField(
        label=_("Screens"), queryset=active_screens(), widget=forms.CheckboxSelectMultiple
    )
    image = forms.FileField(
        label=_("Image (optional)"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screens"].queryset = active_screens()
        self.fields["screens"].label_from_instance = lambda s: f"{s.name}（{s.location}）"
        if user.role == Role.ENTREPRENEUR and not user.is_superuser:
            field = self.fields["enterprise"]
            field.queryset = Enterprise.objects.visible_to(user).order_by("name")
            field.empty_label = None
            field.help_text = _("Enterprises you are a verified member of.")
        else:
            self.fields["enterprise"] = EnterprisePickerField(
                label=_("Enterprise"),
                queryset=Enterprise.objects.visible_to(user),
                help_text=_("Type part of the name or the credit code, then pick one."),
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["screens"] = list(data["screens"])
        return data


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The enterprise reads it."),
    )
