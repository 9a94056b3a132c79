"""Forms of the appeal pages: one per action of the transition table, and the submission forms.

The forms only collect and pre-check input; the rules live in ``enterprises.services``, whose
``ValidationError`` keys are the field names used here, so a service's message lands next to the
field it is about. Each action form knows the service keyword arguments it stands for.
"""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.forms.directory import EnterprisePickerField
from enterprises.models import (
    Appeal,
    AppealCategory,
    Enterprise,
    Priority,
    Rating,
    Source,
)
from enterprises.services.attachments import ALLOWED, validate_uploads
from portal.models import Department, Role

ACCEPT_FILES = ",".join(f".{extension}" for extension in ALLOWED)


# --- files ------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to ``APPEAL_ATTACHMENTS_PER_STEP`` files, checked by content like the service does."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "help_text",
            _("Up to %(count)d files: PDF, images or Office documents, each at most %(mb)d MB.")
            % {
                "count": settings.APPEAL_ATTACHMENTS_PER_STEP,
                "mb": settings.APPEAL_ATTACHMENT_MAX_BYTES // (1024 * 1024),
            },
        )
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_FILES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [single(upload, initial) for upload in uploads if upload]
        try:
            validate_uploads(files)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["files"]) from exc
        return files


# --- submission -------------------------------------------------------------------------------


class AppealForm(forms.Form):
    """A new appeal: an entrepreneur's own, or one a dispatcher records for an enterprise."""

    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none())
    source = forms.ChoiceField(
        label=_("How the appeal came in"),
        choices=[(s.value, s.label) for s in Source if s != Source.PLATFORM],
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=AppealCategory.objects.filter(is_active=True),
        empty_label=_("— choose —"),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    content = forms.CharField(
        label=_("Describe the problem"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you have tried, and what you need from the government."),
    )
    files = MultipleFileField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.on_behalf = user.role != Role.ENTREPRENEUR or user.is_superuser
        if self.on_behalf:
            # 10^5 enterprises: searched as one types, never listed in a dropdown.
            self.fields["enterprise"] = EnterprisePickerField(
                label=_("Enterprise"),
                queryset=Enterprise.objects.visible_to(user),
                help_text=_("Type part of the name or the credit code, then pick one."),
            )
        else:
            del self.fields["source"]
            field = self.fields["enterprise"]
            field.queryset = Enterprise.objects.visible_to(user).order_by("name")
            field.empty_label = None
            field.help_text = _("Enterprises you are a verified member of.")
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("appeals:category-guidance"),
                "hx-target": "#category-guidance",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
            }
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "enterprise": data["enterprise"],
            "category": data["category"],
            "title": data["title"],
            "content": data["content"],
            "source": data.get("source") or Source.PLATFORM,
            "files": data["files"],
        }


# --- actions ----------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """One action of the transition table; ``service_kwargs`` are passed to its service."""

    action = ""
    submit_label = _("Save")
    button = "btn-primary"
    icon = "check-lg"
    intro = ""
    multipart = False

    def __init__(self, *args, appeal: Appeal, user, **kwargs):
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.appeal, self.user = appeal, user

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def _text(label, *, max_length=2000, rows=3, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class _OtherAppealField(forms.CharField):
    """An appeal named by its number (``QH-2026-000123``), as the dispatcher reads it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("The number of the other appeal, e.g. QH-2026-000123."))
        super().__init__(**kwargs)


class _OtherAppealForm(ActionForm):
    field_name = ""

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get(self.field_name) or "").strip().upper()
        if number:
            other = Appeal.objects.visible_to(self.user).filter(number=number).first()
            if other is None:
                self.add_error(self.field_name, _("There is no appeal with this number."))
            else:
                cleaned[self.field_name] = other
        return cleaned


class AcceptForm(ActionForm):
    action = "accept"
    submit_label = _("Accept")
    button = "btn-success"
    intro = _("The appeal is in the department's remit; it will be routed next.")
    note = _text(_("Note"), required=False, rows=2)


class RejectForm(ActionForm):
    action = "reject"
    submit_label = pgettext_lazy("appeal action", "Reject")
    button = "btn-outline-danger"
    icon = "x-lg"
    intro = _("The enterprise reads the reason.")
    reason = _text(_("Reason"))


class MergeForm(_OtherAppealForm):
    action = "merge"
    field_name = "into"
    submit_label = _("Merge")
    button = "btn-outline-secondary"
    icon = "intersect"
    intro = _("This appeal repeats an earlier one of the same enterprise: close it into that one.")
    into = _OtherAppealField(label=_("Merge into"))
    note = _text(_("Note"), required=False, rows=2)


class LinkForm(_OtherAppealForm):
    action = "link"
    field_name = "other"
    submit_label = _("Link")
    button = "btn-outline-secondary"
    icon = "link-45deg"
    intro = _("Related appeals of the same enterprise; both stay open.")
    other = _OtherAppealField(label=_("Link with"))
    note = _text(_("Note"), required=False, rows=2)


class AssignForm(ActionForm):
    action = "assign"
    submit_label = _("Assign")
    icon = "send"
    department = forms.ModelChoiceField(
        label=_("Lead department"),
        queryset=Department.objects.none(),
        empty_label=_("— choose —"),
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_at = _date(
        _("Deadline"),
        required=False,
        help_text=_("Leave empty for the category's time limit; it may only be shortened."),
    )
    co_due_at = _date(
        _("Co-handling deadline"),
        required=False,
        help_text=_("Leave empty for two working days before the deadline."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, empty_value=None, required=False
    )
    note = _text(_("Note to the department"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.active().order_by("sort_order", "name")
        self.fields["department"].queryset = departments
        self.fields["co_departments"].queryset = departments
        self.fields["priority"].initial = self.appeal.priority
        preview = {
            "hx-get": reverse("appeals:deadline-preview"),
            "hx-target": "#deadline-preview",
            "hx-swap": "innerHTML",
            "hx-trigger": "change",
            "hx-include": "this",
            "hx-vals": json.dumps({"appeal": self.appeal.pk, "for": "assign"}),
        }
        self.fields["due_at"].widget.attrs.update(preview)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "department": data["department"],
            "co_departments": list(data["co_departments"]),
            "due_date": data["due_at"],
            "co_due_date": data["co_due_at"],
            "priority": data["priority"],
            "note": data["note"],
        }


class SignForm(ActionForm):
    action = "sign"
    submit_label = _("Sign for it")
    button = "btn-success"
    icon = "pen"
    intro = _("Your department takes the appeal on and starts work.")


class ReturnForm(ActionForm):
    action = "return"
    submit_label = _("Return to the dispatcher")
    button = "btn-outline-danger"
    icon = "arrow-return-left"
    intro = _(
        "Not your department's remit? Returned within one working day of assignment, it counts "
        "as a routing dispute and the deadline stays."
    )
    reason = _text(_("Why this appeal is not yours"))


class RequestInfoForm(ActionForm):
    action = "request_info"
    submit_label = _("Ask the enterprise")
    button = "btn-outline-primary"
    icon = "question-circle"
    intro = _("The clock stops until the enterprise answers.")
    question = _text(_("Question"))


class _FilesForm(ActionForm):
    multipart = True

    def service_kwargs(self) -> dict:
        return {"content": self.cleaned_data["content"], "files": self.cleaned_data["files"]}


class ProvideInfoForm(_FilesForm):
    action = "provide_info"
    submit_label = _("Send the answer")
    icon = "reply"
    content = _text(_("Your answer"), max_length=5000, rows=5)
    files = MultipleFileField()


class SubmitPartForm(_FilesForm):
    action = "submit_part"
    submit_label = _("Submit our part")
    icon = "box-arrow-in-right"
    intro = _("Your department's contribution goes to the lead department.")
    content = _text(_("Our part"), max_length=5000, rows=5)
    files = MultipleFileField()


class ReplyForm(_FilesForm):
    action = "reply"
    submit_label = _("Send the reply")
    button = "btn-success"
    icon = "reply-fill"
    intro = _("The enterprise reads the reply and rates it.")
    content = _text(_("Reply to the enterprise"), max_length=5000, rows=6)
    files = MultipleFileField()


class RateForm(ActionForm):
    action = "rate"
    submit_label = _("Send my rating")
    icon = "star"
    intro = _("If the answer does not solve the problem, choose “Dissatisfied”: it goes back.")
    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = _text(
        _("Comment"),
        required=False,
        help_text=_("Required when you are dissatisfied: say what is still missing."),
    )


class ExtendForm(ActionForm):
    action = "extend"
    submit_label = _("Ask for an extension")
    button = "btn-outline-warning"
    icon = "calendar-plus"
    intro = _("The department head or a dispatcher decides on it.")
    due_at = _date(_("New deadline"))
    reason = _text(_("Why more time is needed"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_at"].widget.attrs.update(
            {
                "hx-get": reverse("appeals:deadline-preview"),
                "hx-target": "#extension-preview",
                "hx-swap": "innerHTML",
                "hx-trigger": "change",
                "hx-include": "this",
                "hx-vals": json.dumps({"appeal": self.appeal.pk, "for": "extend"}),
            }
        )

    def service_kwargs(self) -> dict:
        return {"due_date": self.cleaned_data["due_at"], "reason": self.cleaned_data["reason"]}


class ApproveExtensionForm(ActionForm):
    action = "approve_extension"
    submit_label = _("Approve")
    button = "btn-success"
    note = _text(_("Note"), required=False, rows=2)


class DeclineExtensionForm(ActionForm):
    action = "decline_extension"
    submit_label = _("Decline")
    button = "btn-outline-danger"
    icon = "x-lg"
    note = _text(_("Reason"))


class SuperviseForm(ActionForm):
    action = "supervise"
    submit_label = _("Supervise")
    button = "btn-danger"
    icon = "flag-fill"
    intro = _("The appeal becomes urgent; the department and the dispatchers are told.")
    note = _text(_("Instruction"))


class CallbackForm(ActionForm):
    action = "callback"
    submit_label = _("Record the call-back")
    button = "btn-outline-primary"
    icon = "telephone"
    intro = _("What the enterprise said on the phone, kept beside its own rating.")
    rating = forms.ChoiceField(
        label=_("Rating given on the call"), choices=Rating.choices, widget=forms.RadioSelect
    )
    note = _text(_("Note"), required=False, rows=2)
