"""The sweep under faults: a real worker on a real Redis, the broker down while an appeal is
saved, two sweeps at once, a sweep that dies half-way. Every reminder arrives once per channel."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from config.celery import app as celery_app
from enterprises.models import Appeal, Assignment, Reminder
from enterprises.reference import ensure_escalation_rules, ensure_reference_data
from enterprises.services import reminders
from enterprises.services.reminders import sweep_deadlines
from portal.models import Delivery, Department, Notification
from portal.workdays import sync_from_chinesecalendar
from tests.enterprises.conftest import SHANGHAI
from tests.factories import UserFactory, appeal_in
from tests.redis_server import use_broker

TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def reference_data():
    """A transactional test flushes the database: the ladder and the calendar come back."""
    sync_from_chinesecalendar()
    ensure_reference_data()
    ensure_escalation_rules()


@pytest.fixture
def robot_department(robot_server, department):
    department.webhook_kind = Department.WebhookKind.DINGTALK
    department.webhook_url = robot_server.url()
    department.save()
    return department


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@TRANSACTIONAL
def test_with_the_broker_down_an_assignment_is_saved_and_its_robot_post_arrives_later(
    client,
    reference_data,
    private_redis,
    robot_server,
    robot_department,
    entrepreneur,
    dispatcher,
):
    handler = UserFactory(role="handler", department=robot_department)
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    client.force_login(dispatcher)
    with use_broker(celery_app, private_redis.url):
        private_redis.stop()  # Redis is down when the dispatcher assigns
        started = time.monotonic()
        response = client.post(
            f"/api/v1/appeals/{appeal.pk}/assign/",
            {"department": robot_department.pk},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert time.monotonic() - started < 5  # the user is not kept waiting for the broker
        appeal.refresh_from_db()
        assert appeal.status == "assigned"
        assert (
            Notification.objects.filter(recipient=handler, kind="enterprises.assigned").count() == 1
        )
        (delivery,) = Delivery.objects.filter(department=robot_department)
        assert delivery.status == "pending"
        assert robot_server.received == []

        private_redis.start()  # Redis is back; the next sweep catches up
        with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            assert sweep_deadlines().requeued == 1
            assert wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == "sent")
            sweep_deadlines()  # a second catch-up hands over nothing already sent
            time.sleep(0.5)
    assert len(robot_server.received) == 1
    assert appeal.number in str(robot_server.received[0].body)


@TRANSACTIONAL
def test_a_real_worker_runs_the_beat_task_and_delivers_each_reminder_once(
    reference_data, private_redis, robot_server, robot_department, entrepreneur, dispatcher
):
    from enterprises.tasks import sweep_deadlines as sweep_task

    handler = UserFactory(role="handler", department=robot_department)
    appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    Delivery.objects.update(status="sent")  # the assignment's own post is not what we count
    # The sign-for day has come (the test runs on today's clock: pretend through the rule).
    Appeal.objects.update(next_reminder_at=at(dt.date(2026, 11, 2)))
    Assignment.objects.update(sign_due_date=dt.date(2026, 11, 2))
    with (
        use_broker(celery_app, private_redis.url),
        start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"),
    ):
        first = sweep_task.delay().get(timeout=30)
        assert first.startswith("1 reminders recorded")
        second = sweep_task.delay().get(timeout=30)  # beat fires again: nothing new
        assert second.startswith("0 reminders recorded")
        assert wait_for(
            lambda: Delivery.objects.filter(key__startswith="reminder:", status="sent").count() == 1
        )
        time.sleep(0.5)
    posts = [r for r in robot_server.received if "QH-" in str(r.body)]
    assert len(posts) == 1
    assert Notification.objects.filter(recipient=handler, kind="enterprises.reminder").count() == 1


@TRANSACTIONAL
def test_two_sweeps_at_once_record_and_send_each_reminder_once(
    postgres, reference_data, entrepreneur, dispatcher, handler
):
    for _ in range(30):
        appeal_in("in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    due = Appeal.objects.first().due_date
    now = at(due)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            results.append(sweep_deadlines(now=now, batch_size=7))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r.reminders for r in results) == 30
    assert Reminder.objects.count() == 30
    assert Notification.objects.filter(recipient=handler, kind="enterprises.reminder").count() == 30
    assert sweep_deadlines(now=now).reminders == 0


@TRANSACTIONAL
def test_a_sweep_that_dies_half_way_is_finished_by_the_next_without_repeats(
    reference_data, entrepreneur, dispatcher, handler
):
    for _ in range(10):
        appeal_in("in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    now = at(Appeal.objects.first().due_date)
    real = reminders.notify_many
    calls = []

    def dies_on_the_second_batch(messages):
        calls.append(len(messages))
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return real(messages)

    with (
        mock.patch.object(reminders, "notify_many", dies_on_the_second_batch),
        pytest.raises(SystemExit),
    ):
        sweep_deadlines(now=now, batch_size=4)
    assert Reminder.objects.count() == 4  # the first batch committed, the second rolled back
    assert Notification.objects.filter(kind="enterprises.reminder").count() == 4

    assert sweep_deadlines(now=now, batch_size=4).reminders == 6  # the retry finishes the job
    assert Reminder.objects.count() == 10
    assert Notification.objects.filter(recipient=handler, kind="enterprises.reminder").count() == 10
