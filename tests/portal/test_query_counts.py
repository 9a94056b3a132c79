"""List pages and list endpoints run a fixed number of queries however many rows they show.

Each test renders the same page with few and with many rows and compares the query counts; on
a difference it prints every query of both runs, so the N+1 can be read off the failure.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.services import notify
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The bulk rows here are users too; hashing each with PBKDF2 would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def queries_for(client, url: str, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_flat(small: list[str], large: list[str], label: str) -> None:
    if len(small) != len(large):
        listing = "\n".join(
            [f"--- {label}: {len(small)} queries with few rows"]
            + [f"{i:3}. {sql}" for i, sql in enumerate(small, 1)]
            + [f"--- {label}: {len(large)} queries with many rows"]
            + [f"{i:3}. {sql}" for i, sql in enumerate(large, 1)]
        )
        print(listing)
        pytest.fail(f"{label}: {len(small)} queries for few rows but {len(large)} for many")


def add_pending_memberships(count: int) -> None:
    for _ in range(count):
        MembershipFactory(status="pending", user=UserFactory(role="entrepreneur"))


def add_notifications(user, count: int) -> None:
    for i in range(count):
        notify(recipients=[user], kind="tests.test", title=f"通知{i}")


def test_membership_list_is_flat(client, dispatcher):
    client.force_login(dispatcher)
    add_pending_memberships(5)
    client.get("/enterprises/memberships/")  # warm caches (content types, session)
    small = queries_for(client, "/enterprises/memberships/")

    add_pending_memberships(20)
    large = queries_for(client, "/enterprises/memberships/")

    assert len(large) > 0
    assert_flat(small, large, "/enterprises/memberships/")


def test_membership_list_of_decided_requests_is_flat(client, dispatcher, leader):
    client.force_login(dispatcher)

    def add_decided(count: int) -> None:
        for _ in range(count):
            MembershipFactory(status="verified", decided_by=UserFactory(role="dispatcher"))

    add_decided(5)
    client.get("/enterprises/memberships/", {"status": "verified"})
    small = queries_for(client, "/enterprises/memberships/", status="verified")

    add_decided(20)
    large = queries_for(client, "/enterprises/memberships/", status="verified")

    assert_flat(small, large, "/enterprises/memberships/?status=verified")


def test_notification_page_is_flat(client, dispatcher):
    client.force_login(dispatcher)
    add_notifications(dispatcher, 5)
    client.get("/notifications/")
    small = queries_for(client, "/notifications/")

    add_notifications(dispatcher, 45)
    large = queries_for(client, "/notifications/")

    assert_flat(small, large, "/notifications/")


def test_notification_api_is_flat(client, dispatcher):
    client.force_login(dispatcher)
    add_notifications(dispatcher, 5)
    client.get("/api/v1/notifications/")
    small = queries_for(client, "/api/v1/notifications/")

    add_notifications(dispatcher, 45)
    large = queries_for(client, "/api/v1/notifications/", page_size=50)

    assert_flat(small, large, "/api/v1/notifications/")


def test_notification_api_page_size_is_honoured(client, dispatcher):
    add_notifications(dispatcher, 50)
    client.force_login(dispatcher)

    body = client.get("/api/v1/notifications/", {"page_size": 50}).json()

    assert body["count"] == 50
    assert len(body["results"]) == 50


def test_home_page_is_flat_for_the_dispatcher(client, dispatcher):
    client.force_login(dispatcher)
    add_pending_memberships(2)
    add_notifications(dispatcher, 2)
    client.get("/")
    small = queries_for(client, "/")

    add_pending_memberships(10)
    add_notifications(dispatcher, 10)
    large = queries_for(client, "/")

    assert_flat(small, large, "/ (dispatcher)")
