"""Tests for in-app notifications: the bell's count, the list page, marking read, and the API
(CONTRACT.md, ``GET /api/v1/notifications/``)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enterprises.models import Membership
from portal.models import Notification
from portal.services import notify

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/notifications/"
MARK_READ_API_URL = "/api/v1/notifications/mark-read/"
LIST_URL = "/notifications/"
MARK_READ_URL = "/notifications/read/"


def send(user, title: str = "测试通知", **kwargs) -> Notification:
    (notification,) = notify(recipients=[user], kind="tests.test", title=title, **kwargs)
    return notification


def unread_ids(user) -> set[int]:
    return set(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


# --- the service ----------------------------------------------------------------------------


def test_notify_sends_one_per_recipient_even_if_named_twice(dispatcher, leader):
    notify(recipients=[dispatcher, leader, dispatcher], kind="tests.test", title="两人")

    assert Notification.objects.filter(recipient=dispatcher).count() == 1
    assert Notification.objects.filter(recipient=leader).count() == 1


# --- the bell -------------------------------------------------------------------------------


def unread_badge(html: str) -> str | None:
    match = re.search(r'data-testid="unread-count"[^>]*>\s*([^<]*?)\s*<', html)
    return match.group(1) if match else None


def test_bell_shows_the_unread_count(client, dispatcher):
    send(dispatcher, "一")
    send(dispatcher, "二")
    client.force_login(dispatcher)

    html = client.get("/").content.decode()

    assert unread_badge(html) == "2"


def test_bell_ignores_read_and_other_peoples_notifications(client, dispatcher, leader):
    send(dispatcher, "一")
    read = send(dispatcher, "二")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    send(leader, "别人的")
    client.force_login(dispatcher)

    html = client.get("/").content.decode()

    assert unread_badge(html) == "1"


def test_bell_has_no_badge_without_unread_notifications(client, dispatcher):
    client.force_login(dispatcher)

    html = client.get("/").content.decode()

    assert unread_badge(html) is None


# --- the list page --------------------------------------------------------------------------


def test_list_needs_login(client, db):
    assert client.get(LIST_URL).status_code == 302


def test_list_shows_only_own_notifications(client, dispatcher, leader):
    send(dispatcher, "派单员的通知")
    send(leader, "领导的秘密通知")
    client.force_login(dispatcher)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "派单员的通知" in html
    assert "领导的秘密通知" not in html
    assert {n.recipient_id for n in response.context["page"].object_list} == {dispatcher.pk}


def test_list_can_show_only_unread(client, dispatcher):
    send(dispatcher, "未读的")
    read = send(dispatcher, "已读的")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(dispatcher)

    response = client.get(LIST_URL, {"unread": "1"})

    titles = [n.title for n in response.context["page"].object_list]
    assert titles == ["未读的"]


def test_notification_title_is_escaped(client, dispatcher):
    send(dispatcher, "<b>粗体</b>")
    client.force_login(dispatcher)

    html = client.get(LIST_URL).content.decode()

    assert "<b>粗体</b>" not in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html


# --- marking read on the page ---------------------------------------------------------------


def test_mark_one_read(client, dispatcher):
    first = send(dispatcher, "一")
    second = send(dispatcher, "二")
    client.force_login(dispatcher)

    response = client.post(MARK_READ_URL, {"id": first.pk})

    assert response.status_code == 302
    assert unread_ids(dispatcher) == {second.pk}


def test_mark_read_cannot_touch_another_users_notification(client, dispatcher, leader):
    mine = send(dispatcher, "我的")
    theirs = send(leader, "别人的")
    client.force_login(dispatcher)

    client.post(MARK_READ_URL, {"id": theirs.pk})

    assert unread_ids(leader) == {theirs.pk}
    assert unread_ids(dispatcher) == {mine.pk}


def test_mark_read_does_not_follow_another_users_link(client, dispatcher, leader):
    theirs = send(leader, "别人的", url="/departments/")
    client.force_login(dispatcher)

    response = client.post(MARK_READ_URL, {"id": theirs.pk, "follow": "1"})

    assert response["Location"] == LIST_URL


def test_mark_read_and_follow_the_link(client, dispatcher):
    mine = send(dispatcher, "去看看", url="/departments/")
    client.force_login(dispatcher)

    response = client.post(MARK_READ_URL, {"id": mine.pk, "follow": "1"})

    assert response["Location"] == "/departments/"
    assert unread_ids(dispatcher) == set()


def test_mark_all_read(client, dispatcher, leader):
    send(dispatcher, "一")
    send(dispatcher, "二")
    theirs = send(leader, "别人的")
    client.force_login(dispatcher)

    response = client.post(MARK_READ_URL)

    assert response.status_code == 302
    assert unread_ids(dispatcher) == set()
    assert unread_ids(leader) == {theirs.pk}


def test_mark_read_needs_post(client, dispatcher):
    mine = send(dispatcher)
    client.force_login(dispatcher)

    assert client.get(MARK_READ_URL, {"id": mine.pk}).status_code == 405
    assert unread_ids(dispatcher) == {mine.pk}


def test_mark_read_with_a_unicode_digit_is_not_a_server_error(client, dispatcher):
    mine = send(dispatcher)
    client.force_login(dispatcher)

    response = client.post(MARK_READ_URL, {"id": "²"})

    assert response.status_code in (302, 400)
    assert unread_ids(dispatcher) == {mine.pk}


def test_mark_read_with_a_malformed_id_marks_nothing(client, dispatcher):
    mine = send(dispatcher)
    client.force_login(dispatcher)

    client.post(MARK_READ_URL, {"id": "abc"})

    assert unread_ids(dispatcher) == {mine.pk}


# --- the API --------------------------------------------------------------------------------


def test_api_needs_authentication(client, db):
    response = client.get(API_URL)

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_api_lists_own_notifications_newest_first(client, dispatcher, leader):
    oldest = send(dispatcher, "最早")
    middle = send(dispatcher, "中间")
    newest = send(dispatcher, "最新")
    send(leader, "别人的")
    now = timezone.now()
    Notification.objects.filter(pk=oldest.pk).update(created_at=now - timedelta(hours=2))
    Notification.objects.filter(pk=middle.pk).update(created_at=now - timedelta(hours=1))
    Notification.objects.filter(pk=newest.pk).update(created_at=now)
    client.force_login(dispatcher)

    response = client.get(API_URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["next"] is None and body["previous"] is None
    assert [row["id"] for row in body["results"]] == [newest.pk, middle.pk, oldest.pk]


def test_api_notification_fields(client, dispatcher):
    send(dispatcher, "字段")
    client.force_login(dispatcher)

    (row,) = client.get(API_URL).json()["results"]

    assert {"kind", "app", "appeal", "created_at", "read"} <= set(row)
    # The kind's name within its app, as CONTRACT.md has it; the stored kind is namespaced.
    assert (row["kind"], row["app"]) == ("test", "tests")
    assert Notification.objects.get(pk=row["id"]).kind == "tests.test"
    assert row["appeal"] is None
    assert row["read"] is False
    assert isinstance(row["created_at"], str) and row["created_at"]


def test_api_notification_about_a_non_appeal_has_no_appeal(client, dispatcher, entrepreneur):
    send(dispatcher, "关于成员", target=Membership.objects.get(user=entrepreneur))
    client.force_login(dispatcher)

    (row,) = client.get(API_URL).json()["results"]

    assert row["appeal"] is None


def test_api_paginates(client, dispatcher):
    for i in range(25):
        send(dispatcher, f"第{i}条")
    client.force_login(dispatcher)

    body = client.get(API_URL).json()

    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["next"] is not None
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 5
    assert second["previous"] is not None


def test_api_shows_read_state(client, dispatcher):
    read = send(dispatcher)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    client.force_login(dispatcher)

    (row,) = client.get(API_URL).json()["results"]

    assert row["read"] is True


def test_api_mark_read_by_ids(client, dispatcher):
    first = send(dispatcher, "一")
    second = send(dispatcher, "二")
    client.force_login(dispatcher)

    response = client.post(MARK_READ_API_URL, {"ids": [first.pk]}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["marked"] == 1
    assert unread_ids(dispatcher) == {second.pk}


def test_api_mark_read_ignores_other_users_ids(client, dispatcher, leader):
    theirs = send(leader)
    client.force_login(dispatcher)

    response = client.post(MARK_READ_API_URL, {"ids": [theirs.pk]}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["marked"] == 0
    assert unread_ids(leader) == {theirs.pk}


def test_api_mark_read_without_ids_marks_all(client, dispatcher, leader):
    send(dispatcher, "一")
    send(dispatcher, "二")
    theirs = send(leader)
    client.force_login(dispatcher)

    response = client.post(MARK_READ_API_URL, {}, content_type="application/json")

    assert response.json()["marked"] == 2
    assert unread_ids(dispatcher) == set()
    assert unread_ids(leader) == {theirs.pk}


@pytest.mark.parametrize("ids", ["abc", 5, ["1"], [1, "x"], {"id": 1}, [1.5]])
def test_api_mark_read_rejects_bad_ids(client, dispatcher, ids):
    mine = send(dispatcher)
    client.force_login(dispatcher)

    response = client.post(MARK_READ_API_URL, {"ids": ids}, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert body["ids"]
    assert unread_ids(dispatcher) == {mine.pk}


def test_api_mark_read_rejects_boolean_ids(client, dispatcher):
    send(dispatcher)
    client.force_login(dispatcher)

    response = client.post(MARK_READ_API_URL, {"ids": [True]}, content_type="application/json")

    assert response.status_code == 400


def test_api_mark_read_needs_authentication(client, dispatcher):
    mine = send(dispatcher)

    response = client.post(MARK_READ_API_URL, {"ids": [mine.pk]}, content_type="application/json")

    assert response.status_code == 401
    assert unread_ids(dispatcher) == {mine.pk}
