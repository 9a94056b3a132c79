"""Races on PostgreSQL with real connections: two approvals competing for a screen's last place
on a day, and two reminder sweeps at once. Each service is slowed down between its checks and
its writes, so without the locks (and the unique reminder key) both threads would succeed."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.utils import timezone

from enterprises.models import Celebration, Screen, SessionReminder
from enterprises.services import celebrations as celebration_services
from enterprises.services import sessions as session_services
from portal.exceptions import Conflict
from portal.models import Notification
from portal.workdays import sync_from_chinesecalendar
from tests.concurrency import race
from tests.enterprises.sessions_setup import SESSION_DAY, build_cast
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_approvals_for_the_last_place_of_a_day(postgres, settings):
    settings.CELEBRATIONS_PER_SCREEN_PER_DAY = 1
    sync_from_chinesecalendar()
    dispatcher, leader = UserFactory(role="dispatcher"), UserFactory(role="leader")
    other_leader = UserFactory(role="leader")
    screen = Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心")
    day = timezone.localdate() + dt.timedelta(days=3)
    requests = [
        celebration_services.celebration_request(
            actor=dispatcher,
            enterprise=EnterpriseFactory(),
            kind="award",
            screen_text=f"祝贺第{n}家企业获奖",
            starts_on=day,
            ends_on=day,
            screens=[screen],
        )
        for n in range(2)
    ]
    original = celebration_services.full_days

    def slow(*args, **kwargs):
        found = original(*args, **kwargs)
        time.sleep(0.4)  # between counting and writing
        return found

    with mock.patch.object(celebration_services, "full_days", slow):
        results = race(
            lambda: celebration_services.celebration_approve(celebration=requests[0], actor=leader),
            lambda: celebration_services.celebration_approve(
                celebration=requests[1], actor=other_leader
            ),
        )
    winners = [r for r in results if isinstance(r, Celebration)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert day.isoformat() in str(losers[0]) and "市行政中心大屏" in str(losers[0])
    assert Celebration.objects.filter(status="approved").count() == 1
    assert Celebration.objects.filter(status="requested").count() == 1


def test_two_reminder_sweeps_at_once_send_each_reminder_once(postgres):
    sync_from_chinesecalendar()
    cast = build_cast()
    original = session_services._tell

    def slow(*args, **kwargs):
        time.sleep(0.3)  # after claiming, before committing
        return original(*args, **kwargs)

    the_day_before = dt.datetime.combine(
        SESSION_DAY - dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC
    )
    with mock.patch.object(session_services, "_tell", slow):
        results = race(
            lambda: session_services.send_session_reminders(now=the_day_before),
            lambda: session_services.send_session_reminders(now=the_day_before),
        )
    assert sorted(results) in ([0, 2], [1, 1]), results
    assert SessionReminder.objects.count() == 2
    assert Notification.objects.filter(kind="enterprises.session_reminder").count() == 2
    assert cast.session.invitations.count() == 2
