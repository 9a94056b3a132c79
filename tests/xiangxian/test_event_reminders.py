"""Event reminders: the day before and two hours before, once each, to those who accepted and
did not opt out; none for an event already begun when it was entered. The beat runs the task."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from portal.models import Notification
from xiangxian import tasks
from xiangxian.models import EventReminder
from xiangxian.services import (
    event_reminders_sweep,
    invitation_answer,
    invitation_opt_out,
    invitations_send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(make_event, make_invitee, staff_user):
    """An event three days off with four invitees: two accepted (one of whom opts out), one
    declined, one who never answered."""
    event = make_event(capacity=10)
    people = [make_invitee(f"乡贤{i}") for i in range(4)]
    invitations = sorted(
        invitations_send(
            event=event, actor=staff_user, xiangxian_ids=[p.pk for p in people]
        ).created,
        key=lambda i: i.pk,
    )
    invitation_answer(token=invitations[0].token, accept=True)
    invitation_answer(token=invitations[1].token, accept=True)
    invitation_answer(token=invitations[2].token, accept=False)
    invitation_opt_out(token=invitations[1].token, opted_out=True)
    return event, invitations


def _reminded():
    return list(
        Notification.objects.filter(kind="xiangxian.reminder").values_list("recipient", flat=True)
    )


def test_each_reminder_goes_once_and_only_to_those_who_accepted(setting):
    event, invitations = setting
    wanted = invitations[0].xiangxian.account_id
    assert event_reminders_sweep(now=event.starts_at - dt.timedelta(hours=30)) == 0
    day_before = event.starts_at - dt.timedelta(hours=23)
    assert event_reminders_sweep(now=day_before) == 1
    assert event_reminders_sweep(now=day_before + dt.timedelta(minutes=5)) == 0
    assert _reminded() == [wanted]
    two_hours = event.starts_at - dt.timedelta(minutes=100)
    assert event_reminders_sweep(now=two_hours) == 1
    assert event_reminders_sweep(now=two_hours) == 0
    assert _reminded() == [wanted, wanted]
    assert set(EventReminder.objects.values_list("invitation", "which")) == {
        (invitations[0].pk, "day_before"),
        (invitations[0].pk, "two_hours"),
    }
    # After the start, nothing more.
    assert event_reminders_sweep(now=event.starts_at + dt.timedelta(minutes=1)) == 0


def test_a_sweep_that_missed_the_day_sends_only_the_two_hours_reminder(setting):
    event, _invitations = setting
    assert event_reminders_sweep(now=event.starts_at - dt.timedelta(minutes=30)) == 1
    assert list(EventReminder.objects.values_list("which", flat=True)) == ["two_hours"]


def test_no_reminder_for_an_event_entered_after_its_start(
    make_event, make_invitee, staff_user, monkeypatch
):
    start = timezone.now() - dt.timedelta(minutes=10)
    event = make_event(starts_at=start, ends_at=start + dt.timedelta(days=2))
    # Entered late, then moved in the data to look ahead: still created after the start it had.
    invitation = invitations_send(
        event=event, actor=staff_user, xiangxian_ids=[make_invitee().pk]
    ).created[0]
    invitation_answer(token=invitation.token, accept=True)
    type(event).objects.filter(pk=event.pk).update(starts_at=event.created_at)
    assert event_reminders_sweep(now=event.created_at - dt.timedelta(hours=1)) == 0
    assert not EventReminder.objects.exists()


def test_the_beat_runs_the_task_every_few_minutes(setting):
    entry = settings.CELERY_BEAT_SCHEDULE["xiangxian-event-reminders"]
    assert entry["task"] == "xiangxian.tasks.send_event_reminders"
    assert entry["schedule"] <= 15 * 60
    event, _ = setting
    # The task takes no instance and uses the clock: three days off, nothing is due yet.
    assert tasks.send_event_reminders() == 0
    assert event_reminders_sweep(now=event.starts_at - dt.timedelta(hours=1)) == 1
