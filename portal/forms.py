from collections.abc import Mapping

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def copy_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's errors on the form a view shows: each under the field it names (after
    ``aliases``, where the service's name differs from the form's), the rest above the form."""
    aliases = aliases or {}
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in errors.items():
        target = aliases.get(field, field)
        form.add_error(target if target in form.fields else None, messages)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong user name or password. After %(limit)s wrong attempts the account is locked "
            "for a while."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class NotificationPreferenceForm(forms.Form):
    """A person's channels: in-app is always on; e-mail needs an address; the robot posts to the
    group chat of the person's department."""

    in_app = forms.BooleanField(
        label=_("In the portal (the bell)"),
        required=False,
        disabled=True,
        initial=True,
        help_text=_("Always on."),
    )
    by_email = forms.BooleanField(label=_("By e-mail"), required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    by_robot = forms.BooleanField(label=_("In my department's group chat (robot)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        department = user.department
        if department is None:
            self.fields["by_robot"].disabled = True
            self.fields["by_robot"].help_text = _(
                "Only for people of a department: its robot posts to the department's group chat."
            )
        elif not (department.webhook_kind and department.webhook_url):
            self.fields["by_robot"].help_text = _(
                "%(department)s has no robot yet; an administrator can set one up. Your choice "
                "applies once it has."
            ) % {"department": department.name}
        else:
            self.fields["by_robot"].help_text = _(
                "Reminders about your appeals are posted to the group chat of %(department)s."
            ) % {"department": department.name}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("by_email") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email", _("Enter an e-mail address to receive notifications by e-mail.")
            )
        if self.user.department is None:
            cleaned["by_robot"] = False
        return cleaned


class ImportUploadForm(forms.Form):
    """The first step of an import: what it is and the file."""

    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, spec.label) for kind, spec in kinds]


class ImportMappingForm(forms.Form):
    """One select per sheet header: which of the kind's columns it holds (or none)."""

    def __init__(self, *args, spec, headers, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [
            (column.key, f"{column.header}{' *' if column.required else ''}")
            for column in spec.columns
        ]
        self.headers = [header for header in dict.fromkeys(headers) if header]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=mapping.get(header, "")
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data.get(f"column_{index}", "")
            for index, header in enumerate(self.headers)
        }

    def rows(self):
        """(header, bound field) pairs for the mapping table."""
        return [(header, self[f"column_{index}"]) for index, header in enumerate(self.headers)]


class ImportApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How to import"),
        widget=forms.RadioSelect,
        choices=[
            ("all", _("All rows or none: import only if every row is valid")),
            ("valid", _("Valid rows only: leave the rejected rows out")),
        ],
    )
