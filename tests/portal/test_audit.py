"""Tests for the audit trail: admin changes are recorded, full views of personal data are
recorded, and the trail itself is append-only and read-only in the admin."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from portal.models import AuditLog, Department
from portal.services import audit_record

pytestmark = pytest.mark.django_db


def department_form(**overrides) -> dict:
    data = {
        "name": "衢州市商务局",
        "short_name": "商务局",
        "code": "commerce",
        "is_active": "on",
        "webhook_kind": "",
        "webhook_url": "",
        "webhook_secret": "",
        "sort_order": "10",
    }
    data.update(overrides)
    return data


# --- admin changes --------------------------------------------------------------------------


def test_admin_change_writes_an_update_row(client, admin_user, department):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/portal/department/{department.pk}/change/",
        department_form(name="改名后的局", code=department.code),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    department.refresh_from_db()
    assert department.name == "改名后的局"
    entry = AuditLog.objects.get(action="update")
    assert entry.target_type == "portal.department"
    assert entry.target_id == str(department.pk)
    assert entry.actor == admin_user
    assert entry.target_repr == "改名后的局"


def test_admin_add_writes_a_create_row(client, admin_user):
    client.force_login(admin_user)

    response = client.post("/admin/portal/department/add/", department_form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Department.objects.get(code="commerce")
    entry = AuditLog.objects.get(action="create")
    assert entry.target_type == "portal.department"
    assert entry.target_id == str(created.pk)
    assert entry.actor == admin_user


def test_admin_delete_writes_a_delete_row(client, admin_user, department):
    client.force_login(admin_user)

    response = client.post(f"/admin/portal/department/{department.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Department.objects.filter(pk=department.pk).exists()
    entry = AuditLog.objects.get(action="delete")
    assert entry.target_type == "portal.department"
    assert entry.target_id == str(department.pk)


def test_invalid_admin_change_writes_nothing(client, admin_user, department):
    client.force_login(admin_user)

    response = client.post(
        f"/admin/portal/department/{department.pk}/change/",
        department_form(name="", code=department.code),
    )

    assert response.status_code == 200
    assert not AuditLog.objects.exists()


# --- append-only ----------------------------------------------------------------------------


def test_audit_rows_cannot_be_updated(dispatcher, department):
    entry = audit_record(actor=dispatcher, action="update", target=department)
    entry.note = "tampered"

    with pytest.raises(ValueError):
        entry.save()

    assert AuditLog.objects.get(pk=entry.pk).note == ""


def test_audit_rows_cannot_be_deleted(dispatcher, department):
    entry = audit_record(actor=dispatcher, action="update", target=department)

    with pytest.raises(ValueError):
        entry.delete()

    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_audit_record_describes_its_target(dispatcher, department):
    entry = audit_record(actor=dispatcher, action="view_personal", target=department, fields=["x"])

    assert entry.target_type == "portal.department"
    assert entry.target_id == str(department.pk)
    assert entry.target_repr == department.name
    assert entry.fields == ["x"]


# --- full view of personal data in the admin ------------------------------------------------


def test_user_change_page_audits_the_full_mobile(client, admin_user, make_user):
    person = make_user(role="entrepreneur", mobile="13812345678")
    client.force_login(admin_user)

    response = client.get(f"/admin/portal/user/{person.pk}/change/")

    assert response.status_code == 200
    entry = AuditLog.objects.get(action="view_personal")
    assert entry.actor == admin_user
    assert entry.target_type == "portal.user"
    assert entry.target_id == str(person.pk)
    assert entry.fields == ["mobile"]


def test_user_change_page_without_a_mobile_is_not_audited(client, admin_user, make_user):
    person = make_user(role="entrepreneur", mobile="")
    client.force_login(admin_user)

    response = client.get(f"/admin/portal/user/{person.pk}/change/")

    assert response.status_code == 200
    assert not AuditLog.objects.filter(action="view_personal").exists()


def test_user_list_in_the_admin_shows_masked_mobiles_unaudited(client, admin_user, make_user):
    make_user(role="entrepreneur", mobile="13812345678")
    client.force_login(admin_user)

    response = client.get("/admin/portal/user/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html
    assert not AuditLog.objects.filter(action="view_personal").exists()


# --- the trail is read-only in the admin ----------------------------------------------------


def test_audit_admin_grants_no_add_change_or_delete(admin_user, department):
    entry = audit_record(actor=admin_user, action="update", target=department)
    request = RequestFactory().get("/admin/portal/auditlog/")
    request.user = admin_user
    model_admin = admin.site._registry[AuditLog]

    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, entry) is False
    assert model_admin.has_delete_permission(request, entry) is False
    assert model_admin.has_view_permission(request, entry) is True


def test_audit_admin_add_page_is_forbidden(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/admin/portal/auditlog/add/").status_code == 403


def test_audit_admin_cannot_change_a_row(client, admin_user, department):
    entry = audit_record(actor=admin_user, action="update", target=department, note="原文")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/portal/auditlog/{entry.pk}/change/", {"note": "篡改", "action": "delete"}
    )

    assert response.status_code == 403
    entry = AuditLog.objects.get(pk=entry.pk)
    assert entry.note == "原文"
    assert entry.action == "update"


def test_audit_admin_cannot_delete_a_row(client, admin_user, department):
    entry = audit_record(actor=admin_user, action="update", target=department)
    client.force_login(admin_user)

    response = client.post(f"/admin/portal/auditlog/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditLog.objects.filter(pk=entry.pk).exists()


def test_audit_admin_list_is_readable(client, admin_user, department):
    audit_record(actor=admin_user, action="update", target=department)
    client.force_login(admin_user)

    response = client.get("/admin/portal/auditlog/")

    assert response.status_code == 200
    assert department.name in response.content.decode()


def test_audit_trail_is_visible_to_admins_only(admin_user, dispatcher, leader, department):
    audit_record(actor=admin_user, action="update", target=department)

    assert AuditLog.objects.visible_to(admin_user).count() == 1
    assert not AuditLog.objects.visible_to(dispatcher).exists()
    assert not AuditLog.objects.visible_to(leader).exists()
