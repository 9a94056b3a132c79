"""The duty record form (the date as a date input, evidence files)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.models import DutyItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class DutyRecordForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Duty"), queryset=DutyItem.objects.none())
    done_on = forms.DateField(
        label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    what = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(
        label=_("Evidence (PDF, images, Office files)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx"}
        ),
    )

    def __init__(self, *args, duty_list=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = (
            duty_list.items.all() if duty_list is not None else DutyItem.objects.none()
        )


class ScoreForm(forms.Form):
    indicator = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    score = forms.DecimalField(
        label=_("Score (0–100)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, required=False)
