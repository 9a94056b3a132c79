from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Region
from portal.widgets import RegionChoiceField


class RegisterForm(forms.Form):
    """Entrepreneur self-registration. Field rules are the service's; the form only collects."""

    username = forms.CharField(label=_("User name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    name = forms.CharField(label=_("Full name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        help_text=_("The 18-character code on the business licence."),
    )
    enterprise_name = forms.CharField(
        label=_("Enterprise name"),
        max_length=200,
        required=False,
        help_text=_("Needed only when the enterprise is not registered in the portal yet."),
    )
    region = RegionChoiceField(
        label=_("Location"),
        required=False,
        root_code="330800000000",
        max_level=Region.Level.TOWNSHIP,
        help_text=_("County and township of a newly registered enterprise."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class MembershipRequestForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30)
    enterprise_name = forms.CharField(
        label=_("Enterprise name"),
        max_length=200,
        required=False,
        help_text=_("Needed only when the enterprise is not registered in the portal yet."),
    )
    region = RegionChoiceField(
        label=_("Location"),
        required=False,
        root_code="330800000000",
        max_level=Region.Level.TOWNSHIP,
    )


class MembershipRejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
