"""Tests for signing in and out, changing the password, and the lock-out after wrong passwords
(django-axes: five failures lock the user name, wherever they come from)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"
LOCKED_TEMPLATE = "registration/locked_out.html"
NEW_PASSWORD = "Another-secret-42"


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"username": username, "password": password})


def fail_times(client, username: str, times: int) -> None:
    for _ in range(times):
        log_in(client, username, "wrong-password")


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def is_logged_in(client) -> bool:
    return SESSION_KEY in client.session


# --- the login page -------------------------------------------------------------------------


def test_login_page_has_the_contract_fields_and_a_csrf_token(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert {"username", "password"} <= set(form.fields)
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_enforces_csrf(dispatcher):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(LOGIN_URL, {"username": dispatcher.username, "password": PASSWORD})

    assert response.status_code == 403
    assert SESSION_KEY not in strict.session


@pytest.mark.parametrize(
    "role", ["entrepreneur", "dispatcher", "handler", "department_head", "leader", "admin"]
)
def test_login_redirects_home_to_the_roles_page(client, make_user, department, role):
    user = make_user(
        role=role, department=department if role in ("handler", "department_head") else None
    )

    response = log_in(client, user.username)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(user.pk)
    home = client.get("/")
    assert home.status_code == 200
    assert f"portal/home/{role}.html" in template_names(home)


def test_superuser_lands_on_the_admin_home(client, make_user):
    user = make_user(role="dispatcher", is_staff=True, is_superuser=True)
    log_in(client, user.username)

    home = client.get("/")

    assert "portal/home/admin.html" in template_names(home)


def test_wrong_password_shows_the_form_again(client, dispatcher):
    response = log_in(client, dispatcher.username, "wrong-password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not is_logged_in(client)


def test_home_needs_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logged_in_user_visiting_login_goes_home(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- logout ---------------------------------------------------------------------------------


def test_logout_by_get_is_refused(client, dispatcher):
    client.force_login(dispatcher)

    response = client.get("/accounts/logout/")

    assert response.status_code == 405
    assert is_logged_in(client)


def test_logout_by_post(client, dispatcher):
    client.force_login(dispatcher)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not is_logged_in(client)


# --- password change ------------------------------------------------------------------------


def change_password(client, old: str = PASSWORD, new: str = NEW_PASSWORD):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_password_change_needs_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_replaces_the_old_password(client, dispatcher):
    client.force_login(dispatcher)

    response = change_password(client)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_logged_in(client), "the session survives its own password change"
    client.post("/accounts/logout/")

    old = log_in(client, dispatcher.username, PASSWORD)
    assert old.status_code == 200
    assert not is_logged_in(client)

    new = log_in(client, dispatcher.username, NEW_PASSWORD)
    assert new.status_code == 302
    assert client.session[SESSION_KEY] == str(dispatcher.pk)


def test_password_change_with_wrong_old_password_changes_nothing(client, dispatcher):
    client.force_login(dispatcher)

    response = change_password(client, old="not-my-password")

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    dispatcher.refresh_from_db()
    assert dispatcher.check_password(PASSWORD)


def test_password_change_rejects_a_weak_password(client, dispatcher):
    client.force_login(dispatcher)

    response = change_password(client, new="12345678")

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    dispatcher.refresh_from_db()
    assert dispatcher.check_password(PASSWORD)


# --- lock-out -------------------------------------------------------------------------------


def test_wrong_passwords_are_recorded_per_username(client, dispatcher):
    fail_times(client, dispatcher.username, 3)

    attempt = AccessAttempt.objects.get(username=dispatcher.username)
    assert attempt.failures_since_start == 3


def test_four_failures_do_not_lock(client, dispatcher):
    fail_times(client, dispatcher.username, 4)

    response = log_in(client, dispatcher.username)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_five_failures_lock_even_the_right_password(client, dispatcher, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_times(client, dispatcher.username, 5)

    response = log_in(client, dispatcher.username, PASSWORD)

    assert response.status_code in (403, 429)
    assert LOCKED_TEMPLATE in template_names(response)
    assert not is_logged_in(client)
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/").status_code == 302


def test_lock_out_is_per_username_not_per_address(client, dispatcher, make_user):
    other = make_user(role="dispatcher")
    fail_times(client, dispatcher.username, 5)

    response = log_in(client, other.username)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_lock_out_holds_from_another_address(client, dispatcher):
    fail_times(client, dispatcher.username, 5)

    response = client.post(
        LOGIN_URL,
        {"username": dispatcher.username, "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )

    assert LOCKED_TEMPLATE in template_names(response)
    assert not is_logged_in(client)


def test_successful_login_resets_the_failure_count(client, dispatcher):
    fail_times(client, dispatcher.username, 4)
    log_in(client, dispatcher.username)
    client.post("/accounts/logout/")
    fail_times(client, dispatcher.username, 4)

    response = log_in(client, dispatcher.username)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_locked_account_gets_no_api_token(client, dispatcher):
    fail_times(client, dispatcher.username, 5)

    response = client.post(
        "/api/v1/auth/token/",
        {"username": dispatcher.username, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code in (400, 403, 429)
    body = response.json()
    assert "token" not in body
    assert body["detail"] and body["code"]


def test_wrong_api_passwords_count_towards_the_lock_out(client, dispatcher):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token/",
            {"username": dispatcher.username, "password": "wrong-password"},
            content_type="application/json",
        )

    response = log_in(client, dispatcher.username)

    assert LOCKED_TEMPLATE in template_names(response)
    assert not is_logged_in(client)


def test_locked_out_page_states_the_configured_cool_off(client, dispatcher, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail_times(client, dispatcher.username, 5)

    response = log_in(client, dispatcher.username)

    assert LOCKED_TEMPLATE in template_names(response)
    assert "30 minutes" in response.content.decode()
