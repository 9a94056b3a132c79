"""Redis stopped and started again in the middle of submissions and reminders: every appeal is
saved, every notification is written, and every e-mail and robot post goes out exactly once.

Redis is the portal's broker and cache at once (``REDIS_URL``), so both point at a private
redis-server that the test stops and starts (``tests/redis_server.py``). It keeps nothing on disk,
so the messages queued before the stop are lost with it: the outbox's catch-up must find those
too, once the broker's hold on them (``DELIVERY_REQUEUE_AFTER``) has run out.
"""

import datetime as dt
import time
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from enterprises.models import Appeal, AppealEvent, Assignment, Reminder
from enterprises.services.reminders import sweep_deadlines
from portal.models import Delivery, Notification
from portal.services import deliveries_requeue, notify
from portal.tasks import deliver
from tests.factories import UserFactory, appeal_in, category
from tests.faults.conftest import TRANSACTIONAL, wait_for
from tests.redis_server import use_broker

pytestmark = [pytest.mark.services, TRANSACTIONAL]


@pytest.fixture
def redis_is_the_cache(settings, private_redis):
    """The cache on the private server too, as ``REDIS_URL`` sets it in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }


def submit(client, crew, n: int) -> tuple[int, str]:
    started = time.monotonic()
    response = client.post(
        "/api/v1/appeals/",
        {
            "title": f"厂区电力增容（第{n}次反映）",
            "content": "新生产线下月投产，变压器容量不足，请协调供电公司办理增容。",
            "category": category().pk,
            "enterprise": crew["entrepreneur"].enterprise.pk,
        },
        content_type="application/json",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < 5, f"submission {n} kept the entrepreneur waiting {elapsed:.1f} s"
    return response.json()["id"], response.json()["number"]


def test_redis_down_and_back_during_submissions_and_reminders_loses_and_repeats_nothing(
    postgres, client, reference_data, private_redis, redis_is_the_cache, robot_server, crew
):
    # PostgreSQL: the worker thread writes while this one reads, which SQLite's shared in-memory
    # test database answers with "table is locked" instead of waiting.
    dispatchers, handler = crew["dispatchers"], crew["handler"]
    client.force_login(crew["entrepreneur"])
    with use_broker(celery_app, private_redis.url):
        # An appeal waiting to be signed for since its sign-for day: the sweep's first rung is
        # due. (What its own steps sent is not what this test counts.)
        due = appeal_in(
            "assigned",
            entrepreneur=crew["entrepreneur"],
            dispatcher=dispatchers[0],
            handler=handler,
        )
        Assignment.objects.filter(appeal=due).update(sign_due_date=dt.date(2026, 11, 2))
        Appeal.objects.filter(pk=due.pk).update(next_reminder_at=timezone.now())
        Delivery.objects.update(status=Delivery.Status.SENT)
        mail.outbox.clear()
        robot_server.received.clear()
        first_new_delivery = (
            Delivery.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1

        submitted = [submit(client, crew, n) for n in range(3)]  # handed to the broker
        private_redis.stop()
        submitted += [submit(client, crew, n) for n in range(3, 6)]  # the broker is down
        started = time.monotonic()
        swept = sweep_deadlines()  # beat's task, with the broker down
        assert time.monotonic() - started < 10
        assert swept.reminders >= 1
        private_redis.start()  # back, and empty: the first three submissions' messages are gone
        submitted += [submit(client, crew, n) for n in range(6, 9)]

        new = Delivery.objects.filter(pk__gte=first_new_delivery)
        with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            deliveries_requeue()  # beat's catch-up: what never reached the broker
            # Until the broker's hold on the lost messages runs out, the catch-up leaves them be;
            # then it hands them over again.
            later = timezone.now() + dt.timedelta(seconds=301)
            assert wait_for(
                lambda: new.exclude(status=Delivery.Status.SENT).count()
                == new.filter(notification__target_id__in=[pk for pk, _ in submitted[:3]]).count()
            ), list(new.values_list("pk", "status", "claimed_until"))
            assert deliveries_requeue(now=later) >= 1
            assert wait_for(lambda: not new.exclude(status=Delivery.Status.SENT).exists()), list(
                new.values_list("pk", "status", "last_error")
            )
            # Another catch-up, and every message sent again by mistake: nothing goes out twice.
            # (A last notification, sent after them, shows when the worker got through them.)
            assert deliveries_requeue(now=later + dt.timedelta(hours=1)) == 0
            deliver.delay(list(new.values_list("pk", flat=True)))
            (last,) = notify(recipients=[dispatchers[0]], kind="tests.test", title="最后一条")
            assert wait_for(
                lambda: Delivery.objects.filter(notification=last, status="sent").exists()
            )
        new = new.exclude(notification=last)
        mail.outbox = [m for m in mail.outbox if m.subject != "最后一条"]

    # Every submission that answered 201 is there once, with its number; nothing else was made.
    created = set(Appeal.objects.exclude(pk=due.pk).values_list("pk", "number"))
    assert created == set(submitted) and len(submitted) == 9
    assert AppealEvent.objects.filter(action="submit").exclude(appeal=due).count() == 9

    # Each dispatcher was told of each submission once, in the app and by e-mail.
    told = Notification.objects.filter(
        kind="enterprises.submitted", target_id__in=[pk for pk, _ in submitted]
    )
    assert told.count() == 9 * len(dispatchers)
    assert set(told.values_list("recipient", flat=True)) == {d.pk for d in dispatchers}

    # The reminders the sweep recorded while Redis was down: in the app once, sent once.
    reminders = Reminder.objects.filter(appeal=due)
    assert reminders.count() == swept.reminders
    reminded = Notification.objects.filter(kind="enterprises.reminder")
    assert reminded.filter(recipient=handler).count() == swept.reminders
    assert len(set(reminded.values_list("recipient", "key"))) == reminded.count()

    # Every e-mail and robot post went out exactly once, on the first attempt.
    assert not new.exclude(status=Delivery.Status.SENT).exists()
    assert set(new.values_list("attempts", flat=True)) == {1}
    emails = Counter((tuple(m.to), m.subject) for m in mail.outbox)
    assert (
        sum(emails.values())
        == new.filter(channel="email").count()
        == told.count() + reminded.count()
    )
    assert max(emails.values()) == 1
    assert len(robot_server.received) == new.filter(channel="dingtalk").count() >= 1


def test_an_administrator_page_while_redis_is_down(
    client, reference_data, private_redis, redis_is_the_cache
):
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    private_redis.stop()
    response = client.get("/")
    assert response.status_code == 200
