"""The one text check every service uses and the one way a view shows a service's errors."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.forms import copy_errors
from portal.validators import clean_text


def test_clean_text_strips_and_accepts_text_within_the_limit():
    assert clean_text("  答复如下。\n", field="content", max_length=10) == "答复如下。"
    assert clean_text(None, field="note", max_length=10) == ""


def test_blank_required_text_and_long_text_raise_under_the_field_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as blank:
            clean_text("   ", field="reason", max_length=10, required="请填写理由。")
        with pytest.raises(ValidationError) as long:
            clean_text("字" * 11, field="reason", max_length=10)
    assert blank.value.message_dict == {"reason": ["请填写理由。"]}
    assert long.value.message_dict == {"reason": ["请控制在10个字以内。"]}


def test_with_an_errors_dict_the_errors_are_collected_not_raised():
    errors: dict = {}
    with translation.override("en"):
        clean_text("", field="theme", max_length=5, required="Give the theme.", errors=errors)
        clean_text("too long text", field="venue", max_length=5, errors=errors)
        clean_text("", field="agenda", max_length=5, errors=errors)  # optional: fine blank
    assert errors == {"theme": ["Give the theme."], "venue": ["Keep it within 5 characters."]}


class _Form(forms.Form):
    due_at = forms.DateField(required=False)
    reason = forms.CharField(required=False)


def test_copy_errors_puts_each_message_under_its_field_and_the_rest_above_the_form():
    form = _Form(data={})
    assert form.is_valid()
    copy_errors(
        form,
        ValidationError({"due_date": ["Too early."], "reason": ["Say why."], "other": ["No."]}),
        {"due_date": "due_at"},
    )
    assert form.errors["due_at"] == ["Too early."]
    assert form.errors["reason"] == ["Say why."]
    assert form.non_field_errors() == ["No."]
    plain = _Form(data={})
    plain.is_valid()
    copy_errors(plain, ValidationError("Not in this status."))
    assert plain.non_field_errors() == ["Not in this status."]
