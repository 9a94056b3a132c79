"""Tests for enterprise memberships: who sees which (owner, colleague, outsider), the
dispatcher's verification pages, the audited "show full mobile" button, self-registration and
the entrepreneur's request to act for another enterprise."""

import pytest
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from enterprises.models import Enterprise, Membership
from portal.models import AuditLog, Notification, User
from portal.validators import USCC_CHARSET
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, uscc_for

pytestmark = pytest.mark.django_db

LIST_URL = "/enterprises/memberships/"
MOBILE = "13812345678"
MASKED = "138****5678"


def verify_url(pk: int) -> str:
    return reverse("enterprises:membership-verify", args=[pk])


def reject_url(pk: int) -> str:
    return reverse("enterprises:membership-reject", args=[pk])


def mobile_url(pk: int) -> str:
    return reverse("enterprises:membership-mobile", args=[pk])


@pytest.fixture
def colleague(entrepreneur):
    """Another verified member of the entrepreneur's enterprise."""
    user = UserFactory(role="entrepreneur")
    MembershipFactory(user=user, enterprise=entrepreneur.enterprise, status="verified")
    return user


@pytest.fixture
def outsider(db):
    """An entrepreneur of a different enterprise."""
    user = UserFactory(role="entrepreneur")
    MembershipFactory(user=user, status="verified")
    return user


@pytest.fixture
def pending(db):
    """A pending request of an applicant with a known mobile number."""
    applicant = UserFactory(role="entrepreneur", mobile=MOBILE)
    return MembershipFactory(user=applicant, status="pending")


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Enterprise.objects.count(), Membership.objects.count()


def page_messages(response) -> list:
    return list(response.context["messages"])


# --- Membership.objects.visible_to ----------------------------------------------------------


def test_owner_sees_own_memberships(entrepreneur, colleague, outsider):
    second = MembershipFactory(user=entrepreneur, status="pending")

    visible = set(Membership.objects.visible_to(entrepreneur))

    assert visible == set(Membership.objects.filter(user=entrepreneur))
    assert second in visible


def test_colleague_sees_only_own_membership(entrepreneur, colleague):
    visible = list(Membership.objects.visible_to(colleague))

    assert visible == [Membership.objects.get(user=colleague)]


def test_outsider_sees_none_of_the_enterprises_memberships(entrepreneur, colleague, outsider):
    visible = Membership.objects.visible_to(outsider)

    assert not visible.filter(enterprise=entrepreneur.enterprise).exists()
    assert list(visible) == [Membership.objects.get(user=outsider)]


@pytest.mark.parametrize("staff", ["dispatcher", "leader", "admin_user"])
def test_staff_see_every_membership(request, staff, entrepreneur, colleague, outsider, pending):
    user = request.getfixturevalue(staff)

    assert set(Membership.objects.visible_to(user)) == set(Membership.objects.all())
    assert Membership.objects.visible_to(user).count() == 4


def test_handler_sees_no_membership(handler, entrepreneur, pending):
    assert not Membership.objects.visible_to(handler).exists()


def test_anonymous_sees_no_membership(entrepreneur):
    assert not Membership.objects.visible_to(AnonymousUser()).exists()


# --- Enterprise.objects.visible_to ----------------------------------------------------------


def test_verified_member_sees_the_enterprise(entrepreneur):
    assert list(Enterprise.objects.visible_to(entrepreneur)) == [entrepreneur.enterprise]


def test_colleague_sees_the_shared_enterprise(entrepreneur, colleague):
    assert list(Enterprise.objects.visible_to(colleague)) == [entrepreneur.enterprise]


def test_pending_member_does_not_see_the_enterprise(pending):
    assert not Enterprise.objects.visible_to(pending.user).exists()


def test_rejected_member_does_not_see_the_enterprise(db):
    membership = MembershipFactory(status="rejected")

    assert not Enterprise.objects.visible_to(membership.user).exists()


def test_outsider_does_not_see_the_enterprise(entrepreneur, outsider):
    assert entrepreneur.enterprise not in Enterprise.objects.visible_to(outsider)


@pytest.mark.parametrize("staff", ["dispatcher", "leader", "admin_user"])
def test_staff_see_every_enterprise(request, staff, entrepreneur, outsider, pending):
    user = request.getfixturevalue(staff)

    assert set(Enterprise.objects.visible_to(user)) == set(Enterprise.objects.all())
    assert Enterprise.objects.visible_to(user).count() == 3


# --- the membership list page ---------------------------------------------------------------


def test_dispatcher_sees_pending_requests_with_decision_buttons(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [pending]
    assert response.context["can_decide"] is True
    html = response.content.decode()
    assert verify_url(pending.pk) in html
    assert reject_url(pending.pk) in html


def test_leader_sees_the_list_without_decision_buttons(client, leader, pending):
    client.force_login(leader)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [pending]
    assert response.context["can_decide"] is False
    html = response.content.decode()
    assert verify_url(pending.pk) not in html
    assert reject_url(pending.pk) not in html
    assert mobile_url(pending.pk) not in html


@pytest.mark.parametrize("role", ["handler", "entrepreneur"])
def test_list_is_forbidden_to_other_roles(client, request, role, pending):
    client.force_login(request.getfixturevalue(role))

    assert client.get(LIST_URL).status_code == 403


def test_list_sends_anonymous_to_login(client, pending):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_filters_by_status(client, dispatcher, pending, entrepreneur):
    client.force_login(dispatcher)

    response = client.get(LIST_URL, {"status": "verified"})

    assert list(response.context["page"].object_list) == [Membership.objects.get(user=entrepreneur)]


def test_list_shows_only_the_masked_mobile(client, dispatcher, pending):
    client.force_login(dispatcher)

    html = client.get(LIST_URL).content.decode()

    assert MASKED in html
    assert MOBILE not in html


def test_list_view_writes_no_audit_row(client, dispatcher, pending):
    client.force_login(dispatcher)

    client.get(LIST_URL)

    assert not AuditLog.objects.exists()


# --- verify ---------------------------------------------------------------------------------


def test_dispatcher_verifies_a_request(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.post(verify_url(pending.pk))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert pending.decided_by == dispatcher
    assert pending.decided_at is not None
    notification = Notification.objects.get(recipient=pending.user)
    assert notification.kind == "enterprises.membership_verified"
    assert notification.target == pending


def test_verified_member_now_sees_the_enterprise(client, dispatcher, pending):
    client.force_login(dispatcher)

    client.post(verify_url(pending.pk))

    assert list(Enterprise.objects.visible_to(pending.user)) == [pending.enterprise]


@pytest.mark.parametrize("role", ["leader", "handler", "entrepreneur"])
def test_verify_is_forbidden_to_other_roles(client, request, role, pending):
    client.force_login(request.getfixturevalue(role))

    response = client.post(verify_url(pending.pk))

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert pending.decided_by is None
    assert not Notification.objects.filter(recipient=pending.user).exists()


def test_verify_by_get_is_not_allowed(client, dispatcher, pending):
    client.force_login(dispatcher)

    assert client.get(verify_url(pending.pk)).status_code == 405
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_verifying_a_decided_request_warns_and_changes_nothing(client, dispatcher, leader):
    membership = MembershipFactory(status="rejected", decided_by=leader, decision_note="不符")
    client.force_login(dispatcher)

    response = client.post(verify_url(membership.pk), follow=True)

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == "rejected"
    assert membership.decided_by == leader
    assert membership.decision_note == "不符"
    assert [m.level for m in page_messages(response)] == [messages.WARNING]
    assert not Notification.objects.filter(recipient=membership.user).exists()


def test_verifying_twice_notifies_once(client, dispatcher, pending):
    client.force_login(dispatcher)

    client.post(verify_url(pending.pk))
    client.post(verify_url(pending.pk))

    assert Notification.objects.filter(recipient=pending.user).count() == 1


def test_verifying_a_missing_request_is_404(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.post(verify_url(pending.pk + 1000))

    assert response.status_code == 404


# --- reject ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejecting_without_a_reason_changes_nothing(client, dispatcher, pending, reason):
    client.force_login(dispatcher)

    response = client.post(reject_url(pending.pk), {"reason": reason}, follow=True)

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert pending.decided_by is None
    assert [m.level for m in page_messages(response)] == [messages.ERROR]
    assert not Notification.objects.filter(recipient=pending.user).exists()


def test_dispatcher_rejects_with_a_reason(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.post(reject_url(pending.pk), {"reason": "营业执照与企业名称不符"})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "rejected"
    assert pending.decided_by == dispatcher
    assert pending.decision_note == "营业执照与企业名称不符"
    notification = Notification.objects.get(recipient=pending.user)
    assert notification.kind == "enterprises.membership_rejected"
    assert notification.body == "营业执照与企业名称不符"


@pytest.mark.parametrize("role", ["leader", "handler", "entrepreneur"])
def test_reject_is_forbidden_to_other_roles(client, request, role, pending):
    client.force_login(request.getfixturevalue(role))

    response = client.post(reject_url(pending.pk), {"reason": "不符"})

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_rejecting_a_verified_membership_warns_and_changes_nothing(
    client, dispatcher, entrepreneur
):
    membership = Membership.objects.get(user=entrepreneur)
    client.force_login(dispatcher)

    response = client.post(reject_url(membership.pk), {"reason": "不符"}, follow=True)

    membership.refresh_from_db()
    assert membership.status == "verified"
    assert [m.level for m in page_messages(response)] == [messages.WARNING]


# --- show the full mobile number ------------------------------------------------------------


def test_dispatcher_sees_the_full_mobile_and_it_is_audited(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.post(mobile_url(pending.pk))

    assert response.status_code == 200
    assert MOBILE in response.content.decode()
    entry = AuditLog.objects.get()
    assert entry.action == "view_personal"
    assert entry.actor == dispatcher
    assert entry.fields == ["mobile"]
    assert entry.target_type == "portal.user"
    assert entry.target_id == str(pending.user.pk)
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.parametrize("role", ["leader", "handler", "entrepreneur"])
def test_full_mobile_is_forbidden_to_other_roles(client, request, role, pending):
    client.force_login(request.getfixturevalue(role))

    response = client.post(mobile_url(pending.pk))

    assert response.status_code == 403
    assert MOBILE not in response.content.decode()
    assert not AuditLog.objects.exists()


def test_full_mobile_by_get_is_not_allowed(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.get(mobile_url(pending.pk))

    assert response.status_code == 405
    assert not AuditLog.objects.exists()


def test_full_mobile_of_a_missing_request_is_404(client, dispatcher, pending):
    client.force_login(dispatcher)

    response = client.post(mobile_url(pending.pk + 1000))

    assert response.status_code == 404
    assert not AuditLog.objects.exists()


# --- registration page ----------------------------------------------------------------------

REGISTER_URL = "/accounts/register/"


def registration(**overrides) -> dict:
    data = {
        "username": "li.si",
        "password1": "Qz-appeal-2024!",
        "password2": "Qz-appeal-2024!",
        "name": "李四",
        "mobile": "13912345678",
        "uscc": uscc_for(31337),
        "enterprise_name": "衢州李记食品有限公司",
        "region": "",
    }
    data.update(overrides)
    return data


def test_registration_page_is_open_to_anonymous(client, db):
    response = client.get(REGISTER_URL)

    assert response.status_code == 200
    assert {"username", "password1", "password2", "uscc", "mobile"} <= set(
        response.context["form"].fields
    )


def test_registration_page_sends_a_signed_in_user_home(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get(REGISTER_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_registration_signs_in_with_a_pending_membership(client, dispatcher):
    response = client.post(REGISTER_URL, registration())

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="li.si")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert user.role == "entrepreneur"
    membership = Membership.objects.get(user=user)
    assert membership.status == "pending"
    assert membership.enterprise.uscc == uscc_for(31337)
    assert Notification.objects.get(recipient=dispatcher).kind == "enterprises.membership_requested"
    assert client.get("/").status_code == 200


def test_registration_with_an_invalid_code_shows_the_error_by_the_field(client, db):
    code = uscc_for(31337)
    wrong = code[:-1] + next(c for c in USCC_CHARSET if c != code[-1])
    before = counts()

    response = client.post(REGISTER_URL, registration(uscc=wrong))

    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert counts() == before
    assert SESSION_KEY not in client.session


def test_registration_with_different_passwords(client, db):
    before = counts()

    response = client.post(REGISTER_URL, registration(password2="Something-else-99"))

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert counts() == before


def test_registration_with_a_weak_password_marks_the_password_field(client, db):
    before = counts()

    response = client.post(REGISTER_URL, registration(password1="12345678", password2="12345678"))

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert counts() == before


def test_registration_of_a_new_code_needs_the_enterprise_name(client, db):
    before = counts()

    response = client.post(REGISTER_URL, registration(enterprise_name=""))

    assert response.status_code == 200
    assert "enterprise_name" in response.context["form"].errors
    assert counts() == before


# --- my enterprises -------------------------------------------------------------------------

MINE_URL = "/enterprises/mine/"


def test_entrepreneur_sees_own_memberships(client, entrepreneur, outsider):
    client.force_login(entrepreneur)

    response = client.get(MINE_URL)

    assert response.status_code == 200
    assert list(response.context["memberships"]) == [Membership.objects.get(user=entrepreneur)]


def test_entrepreneur_asks_to_act_for_another_enterprise(client, entrepreneur, dispatcher):
    other = EnterpriseFactory()
    client.force_login(entrepreneur)

    response = client.post(MINE_URL, {"uscc": other.uscc, "enterprise_name": "", "region": ""})

    assert response.status_code == 302
    membership = Membership.objects.get(user=entrepreneur, enterprise=other)
    assert membership.status == "pending"
    notification = Notification.objects.get(recipient=dispatcher)
    assert notification.kind == "enterprises.membership_requested"
    assert notification.target == membership


def test_request_for_a_new_code_creates_the_enterprise(client, entrepreneur):
    client.force_login(entrepreneur)

    client.post(MINE_URL, {"uscc": uscc_for(5150), "enterprise_name": "衢州新厂", "region": ""})

    enterprise = Enterprise.objects.get(uscc=uscc_for(5150))
    assert enterprise.name == "衢州新厂"
    assert Membership.objects.get(user=entrepreneur, enterprise=enterprise).status == "pending"


def test_duplicate_request_is_a_form_error(client, entrepreneur, dispatcher):
    client.force_login(entrepreneur)
    before = counts()

    response = client.post(
        MINE_URL, {"uscc": entrepreneur.enterprise.uscc, "enterprise_name": "", "region": ""}
    )

    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert counts() == before
    assert not Notification.objects.exists()


def test_request_with_an_invalid_code_is_a_form_error(client, entrepreneur):
    client.force_login(entrepreneur)
    before = counts()

    response = client.post(MINE_URL, {"uscc": "91330802ABC", "enterprise_name": "x", "region": ""})

    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize("role", ["dispatcher", "leader", "handler"])
def test_my_enterprises_is_for_entrepreneurs_only(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(MINE_URL).status_code == 403


def test_password_of_a_registered_user_works_for_login(client, db):
    client.post(REGISTER_URL, registration())
    client.post("/accounts/logout/")

    response = client.post("/accounts/login/", {"username": "li.si", "password": "Qz-appeal-2024!"})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(User.objects.get(username="li.si").pk)
