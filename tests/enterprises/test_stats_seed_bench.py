"""seed_bench's mix exercises every figure: each numerator and denominator is above zero."""

import datetime as dt
import io
import zoneinfo
from unittest import mock

import pytest
from django.core.management import call_command

from enterprises.models import Appeal
from enterprises.selectors import stats
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 15, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def test_every_figure_has_appeals_behind_it_in_a_small_seed():
    with mock.patch("django.utils.timezone.now", new=lambda: NOW):
        call_command("seed_bench", appeals=2000, seed=3, force=True, stdout=io.StringIO())
        leader = UserFactory(role="leader")
        total = stats.appeal_stats(leader, group_by="department").total
    empty = [name for name in stats.COUNTS if not total.counts[name]]
    assert not empty, f"seed_bench leaves these figures empty: {empty}"
    assert total.avg_handling_days and total.median_handling_days
    assert Appeal.objects.filter(stopped_days__gt=0).exists()  # clock stops
    for name in stats.RATES:
        assert getattr(total, name) is not None, name
