"""Ids of someone else's objects in a request's body (not its URL) change nothing: marking
another person's notification read, submitting an appeal or a light-up day for another
enterprise, answering an invitation one never had, merging an appeal into another enterprise's."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from enterprises.models import Appeal, Celebration
from portal.models import Notification
from tests.factories import category
from tests.security.world import SESSION_DAY

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> Client:
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    return client


def test_someone_elses_notification_stays_unread(world):
    other = world.extra["notification_other"]
    assert other.read_at is None
    handler = world.people["handler"]

    page = signed_in(handler).post("/notifications/read/", {"id": other.pk, "follow": "1"})
    assert page.status_code == 302 and page["Location"] != other.url
    response = api(handler).post(
        "/api/v1/notifications/mark-read/", {"ids": [other.pk]}, content_type="application/json"
    )
    assert response.json() == {"marked": 0}

    other.refresh_from_db()
    assert other.read_at is None
    assert Notification.objects.filter(recipient=handler, read_at__isnull=True).exists()


def test_no_appeal_for_an_enterprise_one_is_not_a_member_of(world):
    owner, b = world.people["entrepreneur"], world.extra["b"]
    before = Appeal.objects.count()
    data = {"enterprise": b.pk, "category": category().pk, "title": "冒名诉求", "content": "内容"}

    page = signed_in(owner).post("/appeals/new/", data)
    response = api(owner).post("/api/v1/appeals/", data, content_type="application/json")
    pending = api(world.people["pending"]).post(
        "/api/v1/appeals/",
        {**data, "enterprise": world.extra["a"].pk},
        content_type="application/json",
    )

    assert page.status_code == 400
    assert response.status_code == 400 and "enterprise" in response.json()
    assert pending.status_code == 400  # not verified yet: not a member in any way that counts
    assert Appeal.objects.count() == before


def test_no_light_up_day_for_another_enterprise(world):
    day = SESSION_DAY + dt.timedelta(days=3)
    before = Celebration.objects.count()
    response = signed_in(world.people["entrepreneur"]).post(
        "/enterprises/celebrations/new/",
        {
            "enterprise": world.extra["b"].pk,
            "kind": "listing",
            "screen_text": "热烈祝贺别家企业",
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "screens": [world.extra["hall"].pk],
        },
    )
    assert response.status_code == 400
    assert Celebration.objects.count() == before


def test_no_answer_to_an_invitation_one_never_had(world):
    session2 = world.extra["session2"]
    owner = world.people["entrepreneur"]
    response = api(owner).post(
        f"/api/v1/sessions/{session2.pk}/answer/",
        {"answer": "accepted"},
        content_type="application/json",
    )
    page = signed_in(owner).post(
        f"/enterprises/sessions/{session2.pk}/answer/", {"answer": "accepted"}
    )
    assert response.status_code == 404
    assert page.status_code in (403, 404)
    assert not session2.invitations.filter(user=owner).exists()


def test_no_merge_into_another_enterprises_appeal(world):
    new, foreign = world.extra["appeal_new"], world.extra["appeal_b"]
    response = api(world.people["dispatcher"]).post(
        f"/api/v1/appeals/{new.pk}/merge/",
        {"into": foreign.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "into" in response.json()
    new.refresh_from_db()
    assert new.merged_into_id is None
