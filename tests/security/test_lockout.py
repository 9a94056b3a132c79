"""Login lock-out (django-axes, 5 wrong passwords per user name) on the page and on
``POST /api/v1/auth/token/``: a locked account is told so, with the minutes to wait, and the
right password does not get in until then."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def token(client: Client, username: str, password: str):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def page_login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_api_says_locked_with_the_minutes_to_wait(dispatcher):
    client = english()
    answers = [token(client, dispatcher.username, "wrong-password") for _ in range(5)]

    assert [a.status_code for a in answers[:4]] == [400] * 4
    assert answers[0].json()["non_field_errors"] == ["Wrong user name or password."]
    locked = token(client, dispatcher.username, PASSWORD)  # the right password, too late
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "token" not in body
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert body["detail"] == (
        f"Too many wrong passwords. The account is locked; try again in {minutes} minutes."
    )
    assert locked["Retry-After"] == str(minutes * 60)
    assert answers[4].status_code == 429  # the fifth failure itself locks


def test_the_api_message_is_in_chinese_by_default(dispatcher):
    client = Client()
    for _ in range(5):
        token(client, dispatcher.username, "wrong-password")
    body = token(client, dispatcher.username, PASSWORD).json()
    assert "锁定" in body["detail"]


def test_the_page_says_locked_and_keeps_the_right_password_out(dispatcher):
    client = english()
    for _ in range(5):
        page_login(client, dispatcher.username, "wrong-password")
    response = page_login(client, dispatcher.username, PASSWORD)
    assert response.status_code == 429
    assert "The account is locked" in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in


def test_page_failures_lock_the_api_and_api_failures_lock_the_page(dispatcher, leader):
    web = Client()
    for _ in range(5):
        page_login(web, dispatcher.username, "wrong-password")
    assert token(Client(), dispatcher.username, PASSWORD).status_code == 429

    for _ in range(5):
        token(Client(), leader.username, "wrong-password")
    assert page_login(Client(), leader.username, PASSWORD).status_code == 429


def test_a_lock_says_nothing_about_whether_the_account_exists(dispatcher):
    """A user name that does not exist is locked the same way: no way to list accounts."""
    for name in (dispatcher.username, "no-such-person"):
        client = english()
        for _ in range(5):
            token(client, name, "wrong-password")
        locked = token(client, name, "wrong-password")
        assert locked.status_code == 429
        assert locked.json()["code"] == "locked_out"


def test_the_lock_ends_after_the_cool_off(dispatcher):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(5):
        token(Client(), dispatcher.username, "wrong-password")
    assert token(Client(), dispatcher.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now()
        - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    )
    answer = token(Client(), dispatcher.username, PASSWORD)
    assert answer.status_code == 200
    assert answer.json()["token"]
