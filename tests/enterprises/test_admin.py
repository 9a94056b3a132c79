"""The enterprises admin: reference lists are editable, appeals are read-only."""

import pytest
from django.urls import reverse

from enterprises.models import Appeal, AppealCategory, AppealEvent, IndustryChain
from tests.factories import EnterpriseFactory, MembershipFactory, appeal_in

pytestmark = pytest.mark.django_db

MODELS = [
    "industrychain",
    "appealcategory",
    "enterprise",
    "membership",
    "appeal",
    "escalationrule",
    "reminder",
]


@pytest.fixture
def assigned(entrepreneur, dispatcher, handler) -> Appeal:
    return appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load_for_an_admin(client, admin_user, assigned, model):
    MembershipFactory(status="pending")
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:enterprises_{model}_changelist"))
    assert response.status_code == 200
    response = client.get(reverse(f"admin:enterprises_{model}_changelist"), {"q": "衢州"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["industrychain", "appealcategory", "enterprise", "membership"])
def test_reference_models_can_be_added(client, admin_user, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:enterprises_{model}_add")).status_code == 200


@pytest.mark.parametrize("role", ["dispatcher", "leader", "handler", "entrepreneur"])
def test_non_admins_are_kept_out(client, make_user, department, role):
    client.force_login(make_user(role=role, department=department))
    response = client.get(reverse("admin:enterprises_appeal_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_enterprise_change_page_loads(client, admin_user, entrepreneur):
    client.force_login(admin_user)
    url = reverse("admin:enterprises_enterprise_change", args=[entrepreneur.enterprise.pk])
    assert client.get(url).status_code == 200


def test_industry_chain_order_is_editable_in_the_list(client, admin_user):
    client.force_login(admin_user)
    chains = list(IndustryChain.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(chains)),
        "form-INITIAL_FORMS": str(len(chains)),
        "_save": "Save",
    }
    for index, chain in enumerate(chains):
        data[f"form-{index}-id"] = str(chain.pk)
        data[f"form-{index}-sort_order"] = str(900 - index)
        data[f"form-{index}-is_active"] = "on"
    response = client.post(reverse("admin:enterprises_industrychain_changelist"), data)
    assert response.status_code == 302
    assert IndustryChain.objects.get(pk=chains[0].pk).sort_order == 900


def test_category_limits_are_editable_in_the_list(client, admin_user):
    client.force_login(admin_user)
    categories = list(AppealCategory.objects.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": str(len(categories)),
        "form-INITIAL_FORMS": str(len(categories)),
        "_save": "Save",
    }
    for index, category in enumerate(categories):
        data[f"form-{index}-id"] = str(category.pk)
        data[f"form-{index}-sign_days"] = "2"
        data[f"form-{index}-handle_days"] = str(category.handle_days + 1)
        data[f"form-{index}-sort_order"] = str(category.sort_order)
        data[f"form-{index}-is_active"] = "on"
    response = client.post(reverse("admin:enterprises_appealcategory_changelist"), data)
    assert response.status_code == 302
    first = AppealCategory.objects.get(pk=categories[0].pk)
    assert (first.sign_days, first.handle_days) == (2, categories[0].handle_days + 1)


def test_appeal_change_page_is_read_only(client, admin_user, assigned):
    client.force_login(admin_user)
    url = reverse("admin:enterprises_appeal_change", args=[assigned.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert assigned.number in html
    assert 'name="_save"' not in html and 'name="title"' not in html
    assert 'id="events-group"' in html  # the timeline inline is there, read-only
    assert 'id="assignments-group"' in html
    assert 'name="events-0-note"' not in html

    before = (assigned.title, assigned.status, AppealEvent.objects.count())
    response = client.post(url, {"title": "changed", "status": "closed", "_save": "Save"})
    assert response.status_code == 403
    assigned.refresh_from_db()
    assert (assigned.title, assigned.status, AppealEvent.objects.count()) == before


def test_appeals_cannot_be_added_or_deleted(client, admin_user, assigned):
    client.force_login(admin_user)
    assert client.get(reverse("admin:enterprises_appeal_add")).status_code == 403
    delete_url = reverse("admin:enterprises_appeal_delete", args=[assigned.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:enterprises_appeal_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert Appeal.objects.filter(pk=assigned.pk).exists()


def test_enterprise_search_finds_by_exact_code(client, admin_user):
    enterprise = EnterpriseFactory(name="按代码查找公司")
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:enterprises_enterprise_changelist"), {"q": enterprise.uscc}
    )
    assert "按代码查找公司" in response.content.decode()


def test_moving_an_enterprise_to_another_county_marks_its_appeals_days(rf, admin_user, assigned):
    from django.contrib.admin.sites import site
    from django.forms.models import model_to_dict
    from django.utils import timezone

    from enterprises.models import AppealStatsMark, Enterprise
    from portal.models import Region

    enterprise = assigned.enterprise
    elsewhere = Region.objects.filter(level=Region.Level.COUNTY).exclude(pk=enterprise.region_id)
    model_admin = site._registry[Enterprise]
    request = rf.post("/")
    request.user = admin_user
    AppealStatsMark.objects.all().delete()
    form_class = model_admin.get_form(request, enterprise, change=True)
    data = {k: v for k, v in model_to_dict(enterprise).items() if v is not None}
    form = form_class({**data, "region": elsewhere.first().pk}, instance=enterprise)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    day = timezone.localdate(assigned.accepted_at)
    assert list(AppealStatsMark.objects.values_list("day", flat=True)) == [day]
