"""Tests for entrepreneur self-registration through the API (CONTRACT.md, ``POST /api/v1/register/``)."""

import pytest

from enterprises.models import Enterprise, Membership
from portal.models import Notification, User
from portal.validators import USCC_CHARSET
from tests.factories import EnterpriseFactory, uscc_for

pytestmark = pytest.mark.django_db

REGISTER_URL = "/api/v1/register/"
SCRIPT = "<script>alert(1)</script>"


def payload(**overrides) -> dict:
    data = {
        "username": "zhang.san",
        "password": "Qz-appeal-2024!",
        "name": "张三",
        "mobile": "13812345678",
        "uscc": uscc_for(424242),
        "enterprise_name": "衢州同心新材料有限公司",
    }
    data.update(overrides)
    return data


def register(client, **overrides):
    return client.post(REGISTER_URL, payload(**overrides), content_type="application/json")


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Enterprise.objects.count(), Membership.objects.count()


def wrong_check_char(code: str) -> str:
    """``code`` with its check character replaced by another valid character."""
    other = next(c for c in USCC_CHARSET if c != code[-1])
    return code[:-1] + other


# --- success --------------------------------------------------------------------------------


def test_new_code_creates_account_enterprise_and_pending_membership(client):
    response = register(client)

    assert response.status_code == 201
    assert response.json() == {"username": "zhang.san", "status": "pending"}
    user = User.objects.get(username="zhang.san")
    assert user.role == "entrepreneur"
    assert user.name == "张三"
    assert user.mobile == "13812345678"
    enterprise = Enterprise.objects.get(uscc=uscc_for(424242))
    assert enterprise.name == "衢州同心新材料有限公司"
    membership = Membership.objects.get(user=user)
    assert membership.enterprise == enterprise
    assert membership.status == "pending"
    assert membership.decided_by is None


def test_registered_user_gets_a_token_at_once_and_me_lists_no_enterprise(client):
    register(client)

    token_response = client.post(
        "/api/v1/auth/token/",
        {"username": "zhang.san", "password": "Qz-appeal-2024!"},
        content_type="application/json",
    )
    assert token_response.status_code == 200
    token = token_response.json()["token"]

    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["role"] == "entrepreneur"
    assert me.json()["enterprises"] == []


def test_registration_tells_the_dispatchers(client, dispatcher):
    register(client)

    notification = Notification.objects.get(recipient=dispatcher)
    assert notification.kind == "enterprises.membership_requested"


def test_existing_code_without_name_joins_the_enterprise(client):
    enterprise = EnterpriseFactory()
    enterprises_before = Enterprise.objects.count()

    response = register(client, uscc=enterprise.uscc, enterprise_name="")

    assert response.status_code == 201
    assert Enterprise.objects.count() == enterprises_before
    membership = Membership.objects.get(user__username="zhang.san")
    assert membership.enterprise == enterprise
    assert membership.status == "pending"


def test_existing_code_keeps_the_registered_enterprise_name(client):
    enterprise = EnterpriseFactory(name="衢州原名有限公司")

    response = register(client, uscc=enterprise.uscc, enterprise_name="别的名字有限公司")

    assert response.status_code == 201
    enterprise.refresh_from_db()
    assert enterprise.name == "衢州原名有限公司"


def test_lower_case_code_is_stored_in_canonical_form(client):
    code = uscc_for(777)

    response = register(client, uscc=code.lower())

    assert response.status_code == 201
    assert Enterprise.objects.filter(uscc=code).exists()


# --- invalid input: 400, a message under the field, nothing created -------------------------


def assert_rejected_under(response, field: str, before: tuple[int, int, int]) -> None:
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert isinstance(body[field], list) and body[field], body
    assert all(isinstance(message, str) and message for message in body[field])
    assert counts() == before


def test_new_code_without_enterprise_name(client):
    before = counts()

    response = register(client, enterprise_name="")

    assert_rejected_under(response, "enterprise_name", before)


def test_new_code_with_blank_enterprise_name(client):
    before = counts()

    response = register(client, enterprise_name="   ")

    assert_rejected_under(response, "enterprise_name", before)


def test_wrong_check_character_in_uscc(client):
    before = counts()

    response = register(client, uscc=wrong_check_char(uscc_for(424242)))

    assert_rejected_under(response, "uscc", before)


def test_malformed_uscc(client):
    before = counts()

    response = register(client, uscc="91330802ABC")

    assert_rejected_under(response, "uscc", before)


@pytest.mark.parametrize("mobile", ["12345678901", "1381234567", "not-a-number"])
def test_invalid_mobile(client, mobile):
    before = counts()

    response = register(client, mobile=mobile)

    assert_rejected_under(response, "mobile", before)


def test_taken_username(client, make_user):
    make_user(username="zhang.san", role="entrepreneur")
    before = counts()

    response = register(client)

    assert_rejected_under(response, "username", before)


def test_taken_username_in_other_case(client, make_user):
    make_user(username="Zhang.San", role="entrepreneur")
    before = counts()

    response = register(client)

    assert_rejected_under(response, "username", before)


@pytest.mark.parametrize("password", ["123", "12345678901", "password"])
def test_weak_password(client, password):
    before = counts()

    response = register(client, password=password)

    assert_rejected_under(response, "password", before)


def test_missing_name(client):
    before = counts()

    response = register(client, name="")

    assert_rejected_under(response, "name", before)


def test_several_bad_fields_are_all_reported(client):
    before = counts()

    response = register(client, mobile="123", uscc=wrong_check_char(uscc_for(1)))

    assert_rejected_under(response, "mobile", before)
    assert response.json()["uscc"]


def test_rejected_registration_notifies_nobody(client, dispatcher):
    register(client, enterprise_name="")

    assert not Notification.objects.exists()


# --- stored as typed, escaped when shown ----------------------------------------------------


def test_markup_in_name_is_stored_and_escaped_on_the_membership_page(client, dispatcher):
    response = register(client, name=SCRIPT)
    assert response.status_code == 201
    assert User.objects.get(username="zhang.san").name == SCRIPT

    client.force_login(dispatcher)
    page = client.get("/enterprises/memberships/")

    assert page.status_code == 200
    html = page.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markup_in_enterprise_name_is_escaped_on_the_membership_page(client, dispatcher):
    register(client, enterprise_name=SCRIPT)

    client.force_login(dispatcher)
    html = client.get("/enterprises/memberships/").content.decode()

    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
