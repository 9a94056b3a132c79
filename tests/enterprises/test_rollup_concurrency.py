"""The roll-up's rebuilds against real concurrency on PostgreSQL (threads, one connection each):
two rebuilds of the same days never write their rows twice, and a step committed while a
rebuild runs keeps its day live until the next rebuild."""

import time
from unittest import mock

import pytest
from django.utils import timezone

from enterprises import services
from enterprises.models import AppealStatsMark, AppealStatsRollup
from enterprises.selectors import stats
from enterprises.services import stats as rollup
from portal.workdays import sync_from_chinesecalendar
from tests.concurrency import together
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def appeals(postgres):
    sync_from_chinesecalendar()
    handler = UserFactory(role="handler", department=DepartmentFactory())
    dispatcher = UserFactory(role="dispatcher")
    entrepreneur = UserFactory(role="entrepreneur")
    entrepreneur.enterprise = EnterpriseFactory()
    MembershipFactory(user=entrepreneur, enterprise=entrepreneur.enterprise, status="verified")
    made = [
        appeal_in("in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
        for _ in range(3)
    ]
    return made, handler


def test_two_rebuilds_at_once_write_each_row_once(appeals):
    today = timezone.localdate()
    rollup.rebuild(today, today)
    rows = AppealStatsRollup.objects.count()
    assert rows
    original = rollup._day_rows_sql

    def slow(runs):  # between deleting the old rows and writing the new ones
        time.sleep(0.3)
        return original(runs)

    with mock.patch.object(rollup, "_day_rows_sql", slow):
        together(lambda: rollup.rebuild(today, today), lambda: rollup.rebuild(today, today))
    assert AppealStatsRollup.objects.count() == rows


def test_a_step_committed_during_a_refresh_keeps_its_day_live(appeals):
    made, handler = appeals
    today = timezone.localdate()
    rollup.rebuild(today, today)
    assert not AppealStatsMark.objects.exists()
    services.appeal_reply(appeal=made[0], actor=handler, content="第一件答复。")  # marks today
    original = rollup._rebuild_days

    def slow(days):  # the rows are written from what the appeals were; then the step commits
        written = original(days)
        time.sleep(0.6)
        return written

    def step():
        time.sleep(0.2)
        services.appeal_reply(appeal=made[1], actor=handler, content="第二件答复。")

    with mock.patch.object(rollup, "_rebuild_days", slow):
        together(rollup.refresh, step)
    assert AppealStatsMark.objects.filter(day=today).exists()
    leader = UserFactory(role="leader")
    assert stats.appeal_stats(leader).total.counts["replied"] == 2
    rollup.refresh()
    assert not AppealStatsMark.objects.exists()
    assert stats.appeal_stats(leader).total.counts["replied"] == 2
