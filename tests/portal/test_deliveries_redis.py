"""The outbox end to end on a real Redis with a real Celery worker: each notification is
delivered exactly once, and a broker that goes down while an appeal is saved loses nothing.

Each test runs its own redis-server (``tests/redis_server.py``) on a free port, so it can stop
and start the broker without disturbing anyone else's Redis, and points the Celery app at it
for the test only.
"""

import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from portal.models import Delivery, Notification
from portal.services import deliveries_requeue, notify
from portal.tasks import deliver
from tests.factories import DepartmentFactory, UserFactory
from tests.redis_server import use_broker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, timeout: float = 30.0, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    statuses = list(Delivery.objects.values_list("pk", "channel", "status", "last_error"))
    pytest.fail(f"{what} did not finish within {timeout} s: {statuses}")


def worker():
    return start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING")


@pytest.fixture
def people(robot_server):
    department = DepartmentFactory(webhook_kind="wecom", webhook_url=robot_server.url("/wecom"))
    handler = UserFactory(role="handler", department=department, email="handler@example.gov.cn")
    return department, handler


def test_a_worker_delivers_each_channel_exactly_once(private_redis, robot_server, people):
    department, handler = people
    with use_broker(celery_app, private_redis.url), worker():
        with transaction.atomic():
            notify(
                recipients=[handler],
                kind="tests.test",
                title="明天到期",
                url="/appeals/1/",
                webhook_departments=[department],
                key="reminder:1:1:20261103",
            )
        wait_for(lambda: Delivery.objects.filter(status="sent").count() == 2)

        # The same ids again (a redelivered message, a second catch-up) and the same message
        # again: nothing more goes out. A last notification shows the queue has drained.
        ids = list(Delivery.objects.values_list("pk", flat=True))
        deliver.delay(ids)
        deliver.delay(ids)
        notify(
            recipients=[handler],
            kind="tests.test",
            title="明天到期",
            webhook_departments=[department],
            key="reminder:1:1:20261103",
        )
        notify(recipients=[handler], kind="tests.test", title="最后一条")
        wait_for(lambda: Delivery.objects.filter(subject="最后一条", status="sent").exists())

    assert Notification.objects.filter(title="明天到期").count() == 1
    assert [m.subject for m in mail.outbox] == ["明天到期", "最后一条"]
    assert [r.path for r in robot_server.received] == ["/wecom"]
    for delivery in Delivery.objects.all():
        assert delivery.status == "sent" and delivery.attempts == 1


def test_a_broker_down_while_saving_loses_nothing(private_redis, robot_server, people, caplog):
    department, handler = people
    with use_broker(celery_app, private_redis.url):
        private_redis.stop()

        started = time.monotonic()
        with (
            caplog.at_level(logging.WARNING, logger="portal.services.deliveries"),
            transaction.atomic(),
        ):
            (notification,) = notify(
                recipients=[handler],
                kind="tests.test",
                title="新诉求已交办",
                url="/appeals/2/",
                webhook_departments=[department],
            )
        elapsed = time.monotonic() - started

        assert elapsed < 2.0, f"publishing to a dead broker held the request {elapsed:.1f} s"
        assert Notification.objects.filter(pk=notification.pk).exists()  # saved, shown in-app
        assert sorted(Delivery.objects.values_list("channel", "status")) == [
            ("email", "pending"),
            ("wecom", "pending"),
        ]
        assert "The broker is unavailable" in caplog.text
        assert mail.outbox == [] and robot_server.received == []

        private_redis.start()
        assert deliveries_requeue() == 2
        assert deliveries_requeue() == 0  # handed over: the next run sends nothing again
        with worker():
            wait_for(lambda: Delivery.objects.filter(status="sent").count() == 2)
            # Another catch-up while the worker runs finds nothing left to do.
            assert deliveries_requeue() == 0

    assert [m.subject for m in mail.outbox] == ["新诉求已交办"]
    assert len(robot_server.received) == 1
    assert all(d.attempts == 1 for d in Delivery.objects.all())
