"""The search-as-you-type enterprise picker: the field, its widget and the search fragment."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.forms.directory import EnterprisePickerField
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, uscc_for

pytestmark = pytest.mark.django_db

SEARCH_URL = "/enterprises/search/"


class PickForm(forms.Form):
    enterprise = EnterprisePickerField(label="Enterprise")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)


def error_codes(form, field: str = "enterprise") -> list[str]:
    return [error.code for error in form.errors.as_data().get(field, [])]


def choice_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-id="(\d+)"', response.content.decode())]


def queries_for(client, url: str, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


# --- the field ----------------------------------------------------------------------------------


def test_field_accepts_an_id_in_its_queryset(dispatcher):
    enterprise = EnterpriseFactory()
    form = PickForm({"enterprise": str(enterprise.pk)}, user=dispatcher)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["enterprise"] == enterprise


def test_field_refuses_an_id_outside_its_queryset_with_a_message(entrepreneur, outsider):
    form = PickForm({"enterprise": str(outsider.enterprise.pk)}, user=entrepreneur)
    assert not form.is_valid()
    assert error_codes(form) == ["invalid_choice"]
    assert str(form.errors["enterprise"][0]) == str(
        EnterprisePickerField.default_error_messages["invalid_choice"]
    )


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "1; DROP"])
def test_field_refuses_garbage_with_the_same_message(dispatcher, value):
    form = PickForm({"enterprise": value}, user=dispatcher)
    assert not form.is_valid()
    assert error_codes(form) == ["invalid_choice"]


def test_field_is_required_unless_told(dispatcher):
    assert error_codes(PickForm({}, user=dispatcher)) == ["required"]

    class Optional(forms.Form):
        enterprise = EnterprisePickerField(required=False, queryset=Enterprise.objects.all())

    form = Optional({"enterprise": ""})
    assert form.is_valid() and form.cleaned_data["enterprise"] is None


def test_default_queryset_accepts_nothing(dispatcher):
    class Unscoped(forms.Form):
        enterprise = EnterprisePickerField()

    enterprise = EnterpriseFactory()
    assert not Unscoped({"enterprise": str(enterprise.pk)}).is_valid()


def test_forms_do_not_share_the_queryset(entrepreneur, dispatcher, outsider):
    # The widget's queryset follows the field's per form instance, not the class.
    staff_form = PickForm({"enterprise": str(outsider.enterprise.pk)}, user=dispatcher)
    own_form = PickForm({"enterprise": str(outsider.enterprise.pk)}, user=entrepreneur)
    assert staff_form.is_valid()
    assert not own_form.is_valid()


# --- the widget ---------------------------------------------------------------------------------


def test_widget_never_renders_the_enterprises_as_options(dispatcher, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(30)
    with django_assert_max_num_queries(0):
        html = str(PickForm(user=dispatcher)["enterprise"])
    assert "<option" not in html and "<select" not in html
    assert "衢州测试企业" not in html
    assert 'type="hidden"' in html and 'name="enterprise"' in html
    assert f'hx-get="{reverse("enterprises:search")}"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    # Only the hidden id is submitted: the search box has no name.
    assert html.count("name=") == 1


def test_widget_shows_the_chosen_enterprise_again(dispatcher):
    enterprise = EnterpriseFactory(name="衢州巨化新材料有限公司")
    form = PickForm({"enterprise": str(enterprise.pk)}, user=dispatcher)
    html = str(form["enterprise"])
    assert f'value="{enterprise.pk}"' in html
    assert 'value="衢州巨化新材料有限公司"' in html


def test_widget_does_not_leak_the_name_of_an_enterprise_out_of_scope(entrepreneur, outsider):
    form = PickForm({"enterprise": str(outsider.enterprise.pk)}, user=entrepreneur)
    assert not form.is_valid()
    html = str(form["enterprise"])
    assert outsider.enterprise.name not in html
    assert "is-invalid" in html
    assert 'aria-invalid="true"' in html


def test_widget_escapes_the_name(dispatcher):
    enterprise = EnterpriseFactory(name='<script>alert("x")</script>')
    html = str(PickForm({"enterprise": str(enterprise.pk)}, user=dispatcher)["enterprise"])
    assert "<script>" not in html


def test_widget_label_points_at_the_search_box(dispatcher):
    bound = PickForm(user=dispatcher)["enterprise"]
    assert bound.id_for_label == "id_enterprise"
    assert 'id="id_enterprise"' in str(bound)
    assert 'id="id_enterprise_value"' in str(bound)


def test_form_media_loads_the_picker_script(dispatcher):
    assert "portal/js/picker.js" in str(PickForm(user=dispatcher).media)


# --- the search fragment ------------------------------------------------------------------------


def test_search_returns_at_most_twenty_and_says_there_are_more(client, dispatcher):
    for n in range(25):
        EnterpriseFactory(name=f"衢州龙游特种纸{n:02d}有限公司")
    client.force_login(dispatcher)
    response = client.get(SEARCH_URL, {"q": "特种纸"})
    assert response.status_code == 200
    assert len(choice_ids(response)) == 20
    assert b'data-testid="enterprise-search-more"' in response.content


def test_search_matches_name_or_credit_code_prefix(client, dispatcher):
    by_name = EnterpriseFactory(name="开化县钱江源茶业有限公司")
    by_code = EnterpriseFactory(name="某某公司", uscc=uscc_for(424242))
    EnterpriseFactory(name="无关企业")
    client.force_login(dispatcher)
    assert choice_ids(client.get(SEARCH_URL, {"q": "钱江源"})) == [by_name.pk]
    # A typed prefix of the code, in lower case and with spaces, still matches.
    prefix = by_code.uscc[:14].lower()
    ids = choice_ids(client.get(SEARCH_URL, {"q": f" {prefix[:7]} {prefix[7:]} "}))
    assert by_code.pk in ids and by_name.pk not in ids


def test_search_of_nothing_returns_an_empty_fragment(client, dispatcher):
    EnterpriseFactory()
    client.force_login(dispatcher)
    response = client.get(SEARCH_URL, {"q": "   "})
    assert response.status_code == 200
    assert response.content.strip() == b""


def test_search_says_when_nothing_matches(client, dispatcher):
    client.force_login(dispatcher)
    response = client.get(SEARCH_URL, {"q": "<b>没有</b>"})
    assert b'data-testid="enterprise-search-empty"' in response.content
    assert b"<b>" not in response.content  # the query is shown escaped


@pytest.mark.parametrize("role", ["dispatcher", "leader", "admin", "handler", "department_head"])
def test_staff_search_the_whole_directory(client, make_user, department, role, entrepreneur):
    user = make_user(role=role, department=department)
    client.force_login(user)
    assert choice_ids(client.get(SEARCH_URL, {"q": "衢州测试企业"})) == [entrepreneur.enterprise.pk]


def test_entrepreneurs_search_only_their_own_enterprises(client, entrepreneur, colleague, outsider):
    query = {"q": "衢州测试企业"}
    for user in (entrepreneur, colleague):  # owner and colleague: their shared enterprise
        client.force_login(user)
        assert choice_ids(client.get(SEARCH_URL, query)) == [entrepreneur.enterprise.pk]
    client.force_login(outsider)  # outsider: only theirs
    assert choice_ids(client.get(SEARCH_URL, query)) == [outsider.enterprise.pk]


def test_search_needs_a_login(client):
    response = client.get(SEARCH_URL, {"q": "衢州"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_search_refuses_post(client, dispatcher):
    client.force_login(dispatcher)
    assert client.post(SEARCH_URL, {"q": "衢州"}).status_code == 405


def test_search_runs_a_fixed_number_of_queries(client, dispatcher):
    client.force_login(dispatcher)
    EnterpriseFactory.create_batch(3)
    few = queries_for(client, SEARCH_URL, q="衢州")
    EnterpriseFactory.create_batch(30)
    many = queries_for(client, SEARCH_URL, q="衢州")
    assert len(few) == len(many), "\n".join(many)
