"""Tests for the API's front door: token exchange, authentication, ``me``, departments, the
OpenAPI schema and the self-hosted docs page (CONTRACT.md, "REST API")."""

import re

import pytest
from django.urls import reverse

from portal.models import Role
from tests.factories import PASSWORD, DepartmentFactory, EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
DEPARTMENTS_URL = "/api/v1/departments/"
ME_KEYS = {"username", "role", "department", "enterprises"}


def get_token(client, username: str, password: str = PASSWORD):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def assert_error_shape(body: dict) -> None:
    assert isinstance(body.get("detail"), str) and body["detail"]
    assert isinstance(body.get("code"), str) and body["code"]


# --- POST /api/v1/auth/token/ -----------------------------------------------------------------


def test_token_for_right_password(client, dispatcher):
    response = get_token(client, dispatcher.username)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token"}
    assert len(body["token"]) >= 20


def test_token_is_stable_for_the_same_user(client, dispatcher):
    first = get_token(client, dispatcher.username).json()["token"]
    second = get_token(client, dispatcher.username).json()["token"]

    assert first == second


def test_token_for_wrong_password_is_400_with_the_error_shape(client, dispatcher):
    response = get_token(client, dispatcher.username, "not-the-password")

    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert "token" not in body
    assert body["non_field_errors"] and all(isinstance(m, str) for m in body["non_field_errors"])


def test_token_for_unknown_user_is_400(client, db):
    response = get_token(client, "nobody-here")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_with_missing_fields_names_each_field(client, db):
    response = client.post(TOKEN_URL, {}, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "invalid"
    assert body["username"] and body["password"]


def test_token_is_refused_for_an_inactive_user(client, make_user):
    user = make_user(role="dispatcher", is_active=False)

    response = get_token(client, user.username)

    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_authenticates_later_requests(client, dispatcher):
    token = get_token(client, dispatcher.username).json()["token"]

    response = client.get(ME_URL, HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.json()["username"] == dispatcher.username


# --- 401 ------------------------------------------------------------------------------------


def test_missing_token_is_401_with_the_error_shape(client, db):
    response = client.get(ME_URL)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "not_authenticated"


def test_invalid_token_is_401_with_the_error_shape(client, dispatcher):
    response = client.get(
        ME_URL, HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567"
    )

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["code"] == "authentication_failed"


def test_malformed_authorization_header_is_401(client, dispatcher):
    response = client.get(ME_URL, HTTP_AUTHORIZATION="Token")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_departments_need_authentication(client, department):
    response = client.get(DEPARTMENTS_URL)

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_session_authentication_works(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get(ME_URL)

    assert response.status_code == 200
    assert response.json()["username"] == dispatcher.username


# --- GET /api/v1/me/ ------------------------------------------------------------------------


def me(client, user) -> dict:
    client.force_login(user)
    response = client.get(ME_URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= ME_KEYS, body
    return body


@pytest.mark.parametrize("role", ["dispatcher", "leader", "entrepreneur"])
def test_me_for_roles_without_a_department(client, make_user, role):
    user = make_user(role=role)

    body = me(client, user)

    assert body["username"] == user.username
    assert body["role"] == role
    assert body["department"] is None
    assert body["enterprises"] == []


@pytest.mark.parametrize("role", ["handler", "department_head"])
def test_me_names_the_department_of_department_roles(client, make_user, department, role):
    user = make_user(role=role, department=department)

    body = me(client, user)

    assert body["role"] == role
    assert body["department"] == {"id": department.pk, "name": department.name}


def test_me_for_the_admin(client, admin_user):
    body = me(client, admin_user)

    assert body["role"] == "admin"
    assert body["department"] is None


def test_me_role_values_are_the_contract_ones():
    # CONTRACT.md's roles, and those apps added (it allows more): the liaison cadre (无党派人士)
    # and the grassroots unit lead (基层统战).
    assert set(Role.values) - {"liaison", "unit_lead"} == {
        "entrepreneur",
        "dispatcher",
        "handler",
        "department_head",
        "leader",
        "admin",
        "county_staff",
        "village_reporter",
    }


def test_me_lists_verified_enterprises_only(client, entrepreneur):
    pending = MembershipFactory(user=entrepreneur, status="pending").enterprise
    rejected = MembershipFactory(user=entrepreneur, status="rejected").enterprise

    body = me(client, entrepreneur)

    assert body["role"] == "entrepreneur"
    assert body["enterprises"] == [
        {"id": entrepreneur.enterprise.pk, "name": entrepreneur.enterprise.name}
    ]
    listed = {e["id"] for e in body["enterprises"]}
    assert pending.pk not in listed
    assert rejected.pk not in listed


def test_me_lists_no_enterprise_of_another_users_membership(client, entrepreneur, make_user):
    other = make_user(role="entrepreneur")
    MembershipFactory(user=other, enterprise=EnterpriseFactory(), status="verified")

    body = me(client, entrepreneur)

    assert [e["id"] for e in body["enterprises"]] == [entrepreneur.enterprise.pk]


# --- GET /api/v1/departments/ ---------------------------------------------------------------


def test_departments_list_active_ones_with_id_and_name(client, entrepreneur):
    active = DepartmentFactory(name="衢州市经信局")
    inactive = DepartmentFactory(name="已撤销局", is_active=False)
    client.force_login(entrepreneur)

    response = client.get(DEPARTMENTS_URL)

    assert response.status_code == 200
    rows = response.json()
    assert isinstance(rows, list)
    by_id = {row["id"]: row for row in rows}
    assert by_id[active.pk]["name"] == "衢州市经信局"
    assert inactive.pk not in by_id
    assert all({"id", "name"} <= set(row) for row in rows)


# --- schema and docs ------------------------------------------------------------------------


def test_openapi_schema_lists_the_contract_paths(client, db):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/departments/", "/api/v1/register/"):
        assert path in schema["paths"], path


def test_docs_page_loads_every_asset_locally(client, db):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = re.findall(
        r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", html
    )
    assert assets, "the docs page should load Swagger UI's script and style"
    remote = [url for url in assets if url.lower().startswith(("http:", "https:", "//"))]
    assert remote == []
    assert not re.search(r"https?://(cdn|unpkg|cdnjs|jsdelivr)", html)
