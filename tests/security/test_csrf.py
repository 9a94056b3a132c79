"""CSRF: every route of the access matrix that takes a POST refuses one without the token (403),
for someone who may otherwise post there; the API refuses it under session authentication and
not under token authentication (a token is not sent by a browser on its own)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.access import walk
from tests.security.test_access_matrix import API, PAGES, _targets
from tests.security.world import PEOPLE

pytestmark = pytest.mark.django_db

# API endpoints that authenticate no one (so there is no session to ride on): exchanging a
# password for a token, and registering.
NO_SESSION = {"api:token", "api:register"}


def _patterns():
    return {name: pattern for name, _text, pattern in walk() if name}


def _poster(route, seen_by) -> str:
    """Someone who may post to the route on that object (anonymous for public forms), else
    someone who may post to the route at all (CSRF is checked before the object is looked up);
    for a route no one of PEOPLE may post to (a liaison cadre's own form), any signed-in person."""
    allowed = [person for person in PEOPLE if person in route.post]
    in_scope = [person for person in allowed if seen_by is None or person in seen_by]
    return (in_scope or allowed or ["dispatcher"])[0]


def _client(world, person: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if person != "anonymous":
        client.force_login(world.people[person])
    return client


def test_every_browser_form_needs_the_token(world, report_cases):
    patterns = _patterns()
    tried, failures = 0, []
    for name, route in PAGES.items():
        if route.post is None:
            continue
        for label, url, seen_by in _targets(world, name, route, patterns[name]):
            person = _poster(route, seen_by)
            response = _client(world, person).post(url, {})
            tried += 1
            if response.status_code != 403:
                failures.append(f"POST {url} ({name}, {label}) as {person}: {response.status_code}")
    report_cases(f"CSRF: {tried} browser POST routes without a token")
    assert not failures, "\n".join(failures)


def test_the_token_is_what_is_checked(world):
    """With the token from the page, the same posts go through (or fail on their data)."""
    client = _client(world, "dispatcher")
    client.get("/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    appeal = world.extra["appeal_new"]
    response = client.post(
        f"/appeals/{appeal.pk}/accept/", {"csrfmiddlewaretoken": token, "accept-note": ""}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "accepted"

    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get("/accounts/login/")
    token = anonymous.cookies[settings.CSRF_COOKIE_NAME].value
    response = anonymous.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong-password"},
    )
    assert response.status_code == 200  # the form again, with its error: not a CSRF refusal


def test_the_api_needs_the_token_with_a_session_and_not_with_a_token(world, report_cases):
    from rest_framework.authtoken.models import Token

    patterns = _patterns()
    tried, failures = 0, []
    for name, route in API.items():
        if route.post is None or name in NO_SESSION:
            continue
        for label, url, seen_by in _targets(world, name, route, patterns[name]):
            person = _poster(route, seen_by)
            session = _client(world, person)
            response = session.post(url, {}, content_type="application/json")
            tried += 1
            if response.status_code != 403 or "CSRF" not in response.json()["detail"]:
                failures.append(f"session POST {url} ({name}, {label}) as {person}: {response}")
            token = Token.objects.get_or_create(user=world.people[person])[0].key
            response = Client(enforce_csrf_checks=True).post(
                url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
            )
            tried += 1
            if response.status_code == 403 and "CSRF" in response.json().get("detail", ""):
                failures.append(f"token POST {url} ({name}, {label}) as {person}: CSRF refusal")
    report_cases(f"CSRF: {tried} API POSTs with a session and with a token")
    assert not failures, "\n".join(failures)


def test_the_logout_link_is_a_form_not_a_get(world):
    client = _client(world, "dispatcher")
    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200  # still signed in
