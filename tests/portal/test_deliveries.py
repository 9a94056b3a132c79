"""The delivery outbox: what ``notify_many`` records (and at what cost), how it is handed to
Celery after commit, how ``deliver`` claims, sends, retries and gives up, and the catch-up."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import channels, tasks
from portal.models import Delivery, Notification, NotificationPreference
from portal.services import (
    Message,
    deliveries_requeue,
    deliveries_send,
    notify,
    notify_many,
)
from portal.services import deliveries as outbox
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "SECdo-not-leak-this-secret"


@pytest.fixture
def robot_department(robot_server):
    return DepartmentFactory(
        webhook_kind="dingtalk", webhook_url=robot_server.url(token="tok-SECRET-42")
    )


@pytest.fixture
def wecom_department(robot_server):
    return DepartmentFactory(webhook_kind="wecom", webhook_url=robot_server.url("/wecom"))


@pytest.fixture
def handler_with_robot(robot_department):
    return UserFactory(role="handler", department=robot_department, email="h@example.gov.cn")


@pytest.fixture
def reader():
    return UserFactory(role="dispatcher", email="reader@example.gov.cn")


@pytest.fixture
def published():
    """Every ``deliver`` message that would have gone to the broker, as (ids, options)."""
    calls = []
    with mock.patch.object(
        tasks.deliver, "apply_async", side_effect=lambda args, **kw: calls.append((args[0], kw))
    ):
        yield calls


def deliveries(**filters) -> list[Delivery]:
    return list(Delivery.objects.filter(**filters).order_by("pk"))


def make_due(*rows: Delivery) -> None:
    """Move the clock past the backoff: the retries are due now."""
    Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


# --- notify_many: the cost ------------------------------------------------------------------


def _messages(n: int, people, department) -> list[Message]:
    return [
        Message(
            recipients=[people[i % len(people)], people[(i + 1) % len(people)]],
            kind="tests.test",
            title=f"第{i}条提醒",
            body="请及时办理",
            url=f"/appeals/{i}/",
            target=department,
            webhook_departments=[department],
            key=f"test:{n}:{i}" if i % 2 else "",
        )
        for i in range(n)
    ]


def test_notify_many_runs_a_fixed_number_of_queries(monkeypatch, robot_department):
    # Django batches SQLite inserts by a 999-variable limit that SQLite 3.32+ no longer has;
    # lift it so the count shows this code's queries, not Django's SQLite batching.
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
    people = [
        UserFactory(role="handler", department=robot_department, email="a@example.gov.cn"),
        UserFactory(role="dispatcher", email="b@example.gov.cn"),
        UserFactory(role="entrepreneur", email=""),
    ]
    NotificationPreference.objects.create(user=people[1], by_email=True, by_robot=False)
    notify_many(_messages(1, people, robot_department))  # warm the content-type cache

    with CaptureQueriesContext(connection) as few:
        notify_many(_messages(5, people, robot_department))
    with CaptureQueriesContext(connection) as many:
        created = notify_many(_messages(50, people, robot_department))

    assert len(created) == 100
    # The handler, who wants the robot, is told in two messages of every three.
    robot_posts = sum(1 for n in (1, 5, 50) for i in range(n) if i % 3 != 1)
    assert Delivery.objects.filter(channel="dingtalk").count() == robot_posts == 37
    if len(few) != len(many):
        listing = "\n".join(q["sql"][:300] for q in many.captured_queries)
        pytest.fail(f"{len(few)} queries for 5 messages, {len(many)} for 50:\n{listing}")
    assert len(many) <= 9, "\n".join(q["sql"][:300] for q in many.captured_queries)


# --- notify_many: who gets what -------------------------------------------------------------


def test_email_follows_address_preference_and_activity(reader):
    no_address = UserFactory(role="dispatcher", email="")
    opted_out = UserFactory(role="dispatcher", email="out@example.gov.cn")
    NotificationPreference.objects.create(user=opted_out, by_email=False)
    inactive = UserFactory(role="dispatcher", email="gone@example.gov.cn", is_active=False)

    notifications = notify(
        recipients=[reader, no_address, opted_out, inactive], kind="tests.test", title="四人"
    )

    assert len(notifications) == 4  # in-app is always on
    emails = deliveries(channel="email")
    assert [d.notification.recipient for d in emails] == [reader]
    (email,) = emails
    assert email.key == f"email:n{email.notification_id}"
    assert email.subject == "四人"
    assert email.status == "pending" and email.attempts == 0


def test_a_robot_posts_once_per_message_however_many_of_its_people_are_told(
    robot_department, handler_with_robot
):
    colleague = UserFactory(role="department_head", department=robot_department)

    notify(
        recipients=[handler_with_robot, colleague],
        kind="tests.test",
        title="到期提醒",
        webhook_departments=[robot_department, robot_department],
    )

    (robot,) = deliveries(channel="dingtalk")
    assert robot.department == robot_department
    assert robot.payload["msgtype"] == "markdown"
    assert robot.payload["markdown"]["title"] == "到期提醒"
    first = Notification.objects.filter(title="到期提醒").order_by("pk").first()
    assert robot.key == f"robot:n{first.pk}:dept{robot_department.pk}"


def test_each_department_with_a_robot_gets_its_own_delivery(
    robot_department, wecom_department, handler_with_robot
):
    wecom_handler = UserFactory(role="handler", department=wecom_department)
    silent = DepartmentFactory()  # no robot configured
    silent_handler = UserFactory(role="handler", department=silent)

    notify(
        recipients=[handler_with_robot, wecom_handler, silent_handler],
        kind="tests.test",
        title="三个部门",
        key="reminder:1:2:20261102",
        webhook_departments=[robot_department, wecom_department, silent],
    )

    robots = deliveries(channel__in=["dingtalk", "wecom"])
    assert {(d.channel, d.department_id) for d in robots} == {
        ("dingtalk", robot_department.pk),
        ("wecom", wecom_department.pk),
    }
    assert {d.key for d in robots} == {
        f"reminder:1:2:20261102:dept{robot_department.pk}",
        f"reminder:1:2:20261102:dept{wecom_department.pk}",
    }
    wecom = next(d for d in robots if d.channel == "wecom")
    assert set(wecom.payload["markdown"]) == {"content"}


def test_no_robot_when_nobody_told_in_that_department_wants_it(
    robot_department, handler_with_robot, reader
):
    NotificationPreference.objects.create(user=handler_with_robot, by_email=True, by_robot=False)

    notify(
        recipients=[handler_with_robot, reader],  # the reader is in no department
        kind="tests.test",
        title="无人要机器人",
        webhook_departments=[robot_department],
    )

    assert deliveries(channel="dingtalk") == []
    assert len(deliveries(channel="email")) == 2


def test_handlers_and_heads_want_the_robot_by_default_others_do_not(robot_department):
    leader_in_department = UserFactory(role="leader", department=robot_department)

    notify(
        recipients=[leader_in_department],
        kind="tests.test",
        title="领导",
        webhook_departments=[robot_department],
    )
    assert deliveries(channel="dingtalk") == []

    head = UserFactory(role="department_head", department=robot_department)
    notify(
        recipients=[head], kind="tests.test", title="负责人", webhook_departments=[robot_department]
    )
    assert len(deliveries(channel="dingtalk")) == 1


def test_a_message_to_the_department_group_alone(robot_department):
    notify(recipients=[], kind="tests.test", title="群消息", webhook_departments=[robot_department])
    notify(recipients=[], kind="tests.test", title="群消息", webhook_departments=[robot_department])

    assert Notification.objects.count() == 0
    robots = deliveries(channel="dingtalk")
    assert len(robots) == 2  # no key: two messages
    assert robots[0].key != robots[1].key


def test_an_inactive_department_robot_is_not_used(robot_department, handler_with_robot):
    robot_department.is_active = False
    robot_department.save()

    notify(
        recipients=[handler_with_robot],
        kind="tests.test",
        title="停用",
        webhook_departments=[robot_department],
    )

    assert deliveries(channel="dingtalk") == []


def test_the_same_key_twice_records_nothing_new(robot_department, handler_with_robot, reader):
    message = Message(
        recipients=[handler_with_robot, reader],
        kind="tests.test",
        title="只发一次",
        key="reminder:7:1:20261102",
        webhook_departments=[robot_department],
    )

    first = notify_many([message])
    again = notify_many([message])
    both_in_one_batch = notify_many([message, message])

    assert len(first) == 2
    assert again == [] and both_in_one_batch == []
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 3  # two e-mails and one robot post


def test_a_new_recipient_of_a_keyed_message_is_still_told(reader, dispatcher):
    notify(recipients=[reader], kind="tests.test", title="日报", key="digest:20261102")

    added = notify(
        recipients=[reader, dispatcher], kind="tests.test", title="日报", key="digest:20261102"
    )

    assert [n.recipient for n in added] == [dispatcher]
    assert Notification.objects.filter(key="digest:20261102").count() == 2


def test_the_old_notify_signature_still_works(reader):
    (notification,) = notify(
        recipients=[reader, reader], kind="tests.test", title="旧接口", body="b", url="/x/"
    )

    assert notification.pk is not None
    assert notification.recipient == reader
    assert (notification.kind, notification.body, notification.url) == ("tests.test", "b", "/x/")


# --- handing over to Celery after commit ----------------------------------------------------


def test_deliveries_are_published_after_commit_in_chunks_of_ids(
    django_capture_on_commit_callbacks, published, robot_department
):
    people = UserFactory.create_batch(250, role="dispatcher", email="x@example.gov.cn")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=people, kind="tests.test", title="大批")
    assert published == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert [len(ids) for ids, _ in published] == [100, 100, 50]
    all_ids = [i for ids, _ in published for i in ids]
    assert all(isinstance(i, int) for i in all_ids)
    assert sorted(all_ids) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_a_broker_that_is_down_neither_raises_nor_loses_anything(
    django_capture_on_commit_callbacks, reader, caplog
):
    calls = []

    def broker_down(args, **kwargs):
        calls.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    people = [reader, *UserFactory.create_batch(150, role="dispatcher", email="y@example.gov.cn")]
    with (
        mock.patch.object(tasks.deliver, "apply_async", side_effect=broker_down),
        caplog.at_level(logging.WARNING, logger="portal.services.deliveries"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(recipients=people, kind="tests.test", title="代理宕机")

    assert len(calls) == 1  # the first failure stops the rest: one timeout, not one per chunk
    assert Notification.objects.count() == 151
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert not Delivery.objects.filter(claimed_until__isnull=False).exists()
    assert "151 deliveries stay pending" in caplog.text


# --- deliver: claim, send, record -------------------------------------------------------------


def test_deliver_twice_sends_once(robot_server, robot_department, handler_with_robot):
    notify(
        recipients=[handler_with_robot],
        kind="tests.test",
        title="一次",
        webhook_departments=[robot_department],
    )
    ids = [d.pk for d in deliveries()]

    first = tasks.deliver(ids)  # the task body, run here
    second = tasks.deliver(ids)

    assert first == {"sent": 2}
    assert second == {"skipped": 2}
    assert len(mail.outbox) == 1
    assert len(robot_server.received) == 1
    for delivery in deliveries():
        assert delivery.status == "sent" and delivery.attempts == 1
        assert delivery.sent_at is not None and delivery.claimed_until is None


def test_a_delivery_another_worker_holds_is_left_alone(reader):
    notify(recipients=[reader], kind="tests.test", title="租约")
    (delivery,) = deliveries()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, claimed_until=timezone.now() + timedelta(minutes=4)
    )

    assert deliveries_send([delivery.pk]) == {"skipped": 1}
    assert mail.outbox == []


def test_an_expired_lease_is_reclaimed(reader):
    notify(recipients=[reader], kind="tests.test", title="租约过期")
    (delivery,) = deliveries()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending", attempts=1, claimed_until=timezone.now() - timedelta(seconds=1)
    )

    assert deliveries_send([delivery.pk]) == {"sent": 1}
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert len(mail.outbox) == 1


def test_a_delivery_not_yet_due_waits(reader):
    notify(recipients=[reader], kind="tests.test", title="未到")
    (delivery,) = deliveries()
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=1)
    )

    assert deliveries_send([delivery.pk]) == {"skipped": 1}


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        ({"status": 500, "body": {"errcode": -1}}, "HTTP 500"),
        ({"delay": 2}, "timed out"),
        ({"body": {"errcode": 310000, "errmsg": "sign not match"}}, "errcode 310000"),
    ],
    ids=["http-500", "timeout", "errcode"],
)
def test_a_failing_robot_is_retried_logged_and_blocks_nothing(
    settings,
    caplog,
    published,
    robot_server,
    robot_department,
    handler_with_robot,
    reply,
    error,
):
    settings.DELIVERY_WEBHOOK_TIMEOUT = 0.3
    robot_department.webhook_secret = SECRET
    robot_department.save()
    robot_server.reply(**reply)
    notify(
        recipients=[handler_with_robot],
        kind="tests.test",
        title="会失败",
        url="/appeals/1/",
        webhook_departments=[robot_department],
    )
    robot = Delivery.objects.get(channel="dingtalk")
    # The robot's delivery first in the chunk: the e-mail after it must still go.
    ids = [robot.pk, *[d.pk for d in deliveries(channel="email")]]
    started = timezone.now()

    with caplog.at_level(logging.WARNING, logger="portal.services.deliveries"):
        outcome = tasks.deliver(ids)

    assert outcome == {"retry": 1, "sent": 1}
    assert Notification.objects.filter(recipient=handler_with_robot).count() == 1  # in-app
    assert len(mail.outbox) == 1
    robot.refresh_from_db()
    assert robot.status == "pending" and robot.attempts == 1
    assert error in robot.last_error
    assert (
        started + timedelta(seconds=59)
        <= robot.next_attempt_at
        <= timezone.now() + timedelta(seconds=61)
    )
    assert f"Delivery {robot.pk} (dingtalk) failed on attempt 1 of 5" in caplog.text
    assert error in caplog.text
    # The retry is on its way, due when the backoff ends.
    assert published == [([robot.pk], {"countdown": 60.0})]
    # Nothing leaks: not the secret, not the token in the URL, not the signature.
    for text in (caplog.text, robot.last_error):
        assert SECRET not in text and "tok-SECRET-42" not in text and "sign=" not in text

    assert tasks.deliver([robot.pk]) == {"skipped": 1}  # not before it is due
    make_due(robot)
    assert tasks.deliver([robot.pk]) == {"sent": 1}
    robot.refresh_from_db()
    assert robot.status == "sent" and robot.attempts == 2
    assert [r.body["markdown"]["title"] for r in robot_server.received] == ["会失败", "会失败"]


def test_backoff_grows_then_gives_up_as_failed(caplog, published, robot_server, robot_department):
    robot_server.reply(status=500, times=10)
    notify(
        recipients=[], kind="tests.test", title="一直失败", webhook_departments=[robot_department]
    )
    (robot,) = deliveries()
    waits = []

    for _attempt in range(5):
        before = timezone.now()
        tasks.deliver([robot.pk])
        robot.refresh_from_db()
        if robot.status == "pending":
            waits.append(round((robot.next_attempt_at - before).total_seconds() / 60))
            make_due(robot)

    assert waits == [1, 5, 30, 120]
    assert robot.status == "failed" and robot.attempts == 5
    assert "HTTP 500" in robot.last_error
    assert "failed for good after 5 attempts" in caplog.text
    assert tasks.deliver([robot.pk]) == {"skipped": 1}
    assert len(robot_server.received) == 5


def test_an_unexpected_error_is_recorded_without_the_secret(
    published, robot_department, handler_with_robot
):
    robot_department.webhook_secret = SECRET
    robot_department.save()
    notify(
        recipients=[handler_with_robot],
        kind="tests.test",
        title="意外",
        webhook_departments=[robot_department],
    )
    robot = Delivery.objects.get(channel="dingtalk")
    boom = RuntimeError(f"bug while posting to {robot_department.webhook_url} with {SECRET}")

    real_send = channels.send

    def send(delivery):
        if delivery.channel == "dingtalk":
            raise boom
        return real_send(delivery)

    with mock.patch("portal.services.deliveries.channels.send", side_effect=send):
        outcome = tasks.deliver([robot.pk, *[d.pk for d in deliveries(channel="email")]])

    assert outcome == {"retry": 1, "sent": 1}
    robot.refresh_from_db()
    assert robot.last_error.startswith("RuntimeError: bug while posting to ***")
    assert SECRET not in robot.last_error and "tok-SECRET-42" not in robot.last_error


def test_a_database_error_on_one_delivery_does_not_stop_the_chunk(reader):
    notify(recipients=[reader], kind="tests.test", title="一")
    notify(recipients=[reader], kind="tests.test", title="二")
    first, second = deliveries()

    real_claim = outbox._claim

    def claim(pk, now):
        if pk == first.pk:
            raise RuntimeError("database went away")
        return real_claim(pk, now)

    with mock.patch("portal.services.deliveries._claim", side_effect=claim):
        outcome = deliveries_send([first.pk, second.pk])

    assert outcome == {"error": 1, "sent": 1}
    assert [m.subject for m in mail.outbox] == ["二"]


# --- the catch-up -----------------------------------------------------------------------------


def test_requeue_hands_over_what_is_due_and_not_on_its_way(
    django_capture_on_commit_callbacks, published, reader
):
    for title in ("丢失", "已交出", "未到期", "死了的工人", "还在发", "已发", "放弃"):
        notify(recipients=[reader], kind="tests.test", title=title)
    rows = {d.subject: d for d in deliveries()}
    now = timezone.now()
    past, future = now - timedelta(seconds=1), now + timedelta(minutes=3)

    def set_row(title, **fields):
        Delivery.objects.filter(pk=rows[title].pk).update(**fields)

    set_row("丢失", claimed_until=None)  # the broker was down when it was recorded
    set_row("已交出", claimed_until=future)  # its message is in the queue
    set_row("未到期", claimed_until=None, next_attempt_at=future)
    set_row("死了的工人", status="sending", attempts=1, claimed_until=past)
    set_row("还在发", status="sending", attempts=1, claimed_until=future)
    set_row("已发", status="sent", claimed_until=None)
    set_row("放弃", status="failed", claimed_until=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue() == 2

    assert sorted(i for ids, _ in published for i in ids) == sorted(
        [rows["丢失"].pk, rows["死了的工人"].pk]
    )
    dead = Delivery.objects.get(pk=rows["死了的工人"].pk)
    assert dead.status == "pending" and dead.claimed_until > now
    # Handed over: trusted for a while, so the next run does not send another message.
    published.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue() == 0
    assert published == []
    # Five minutes on, every row still pending or sending is due: the two handed over (their
    # messages were lost after all), 已交出 likewise, 未到期 has come due and 还在发's worker died.
    later = now + timedelta(seconds=301)
    assert deliveries_requeue(now=later) == 5


def test_requeue_then_deliver_sends_a_lost_delivery(
    django_capture_on_commit_callbacks, published, reader
):
    notify(recipients=[reader], kind="tests.test", title="补发")
    Delivery.objects.update(claimed_until=None)

    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_requeue() == 1
    ((ids, _),) = published
    tasks.deliver(ids)

    assert [m.subject for m in mail.outbox] == ["补发"]


def test_the_catch_up_runs_every_minute_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["requeue-deliveries"]
    assert entry["task"] == "portal.tasks.requeue_deliveries"
    assert entry["schedule"] <= 120
    assert tasks.requeue_deliveries.name == "portal.tasks.requeue_deliveries"
    assert tasks.deliver.ignore_result  # publishing never touches the result backend


def test_the_catch_up_reads_the_partial_indexes_on_postgresql(postgres, reader):
    notify(recipients=[reader], kind="tests.test", title="索引")
    Delivery.objects.update(status="sent")
    sql, params = Delivery.objects.due().values_list("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "delivery_pending_due" in plan, plan
    assert "delivery_sending_lease" in plan, plan


# --- the delivery log in the admin ------------------------------------------------------------


def test_the_delivery_log_is_read_only_and_never_shows_the_robot_url(
    client, admin_user, robot_department, handler_with_robot
):
    robot_department.webhook_secret = SECRET
    robot_department.save()
    notify(
        recipients=[handler_with_robot],
        kind="tests.test",
        title="日志",
        webhook_departments=[robot_department],
    )
    robot = Delivery.objects.get(channel="dingtalk")
    Delivery.objects.filter(pk=robot.pk).update(last_error="HTTP 500")
    client.force_login(admin_user)

    listing = client.get(
        "/admin/portal/delivery/", {"status__exact": "pending", "channel__exact": "dingtalk"}
    )
    detail = client.get(f"/admin/portal/delivery/{robot.pk}/change/")

    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [robot]
    assert detail.status_code == 200
    for html in (listing.content.decode(), detail.content.decode()):
        assert "tok-SECRET-42" not in html and SECRET not in html
    assert "HTTP 500" in detail.content.decode()
    assert client.get("/admin/portal/delivery/add/").status_code == 403
    client.post(f"/admin/portal/delivery/{robot.pk}/change/", {"status": "sent"})
    client.post(f"/admin/portal/delivery/{robot.pk}/delete/", {"post": "yes"})
    robot.refresh_from_db()
    assert robot.status == "pending"
