"""portal.figures: the arithmetic, days and months, labels and the mark-and-refresh roll-up that
every app's figures are written with."""

import datetime as dt
import statistics
from zoneinfo import ZoneInfo

import pytest

from portal.figures import (
    DayRollup,
    histogram_median,
    labels,
    month_end,
    month_key,
    month_start,
    rate,
    rounded,
    runs,
)
from portal.models import Department

pytestmark = pytest.mark.django_db


def test_a_rate_over_nothing_is_none_not_zero():
    assert rate(0, 0) is None
    assert rate(0, 4) == 0.0
    assert rate(2, 3) == 0.6667
    assert rounded(None) is None
    assert rounded(2.345, 1) == 2.3


@pytest.mark.parametrize(
    "values",
    [[3], [1, 2], [0, 0, 5, 9], [2, 2, 2, 7, 8, 40, 41], list(range(11)) + [60, 70]],
)
def test_the_histogram_median_is_the_median_of_the_values(values):
    cap = 10
    histogram = [0] * (cap + 1)
    longer = sorted(v for v in values if v > cap)
    for value in values:
        if value <= cap:
            histogram[value] += 1
    assert histogram_median(histogram, len(longer), lambda: longer) == statistics.median(values)


def test_median_of_a_histogram():
    no_tail = lambda: []  # noqa: E731
    assert histogram_median([0, 2, 1], 0, no_tail) == 1.0  # 1, 1, 2
    assert histogram_median([1, 1], 0, no_tail) == 0.5  # 0, 1
    assert histogram_median([0, 0], 0, no_tail) is None
    assert histogram_median([1], 2, lambda: [70, 80]) == 70.0  # 0, 70, 80
    assert histogram_median([1], 1, lambda: [70]) == 35.0  # 0, 70


def test_no_median_of_nothing_nor_of_a_tail_that_changed_meanwhile():
    assert histogram_median([0, 0, 0]) is None
    assert histogram_median([0, 1], over=3, tail=lambda: []) is None


def test_days_as_runs_and_months_as_keys():
    d = dt.date
    days = [d(2026, 11, 3), d(2026, 11, 1), d(2026, 11, 2), d(2026, 11, 5), d(2026, 11, 5)]
    assert runs(days) == [(d(2026, 11, 1), d(2026, 11, 3)), (d(2026, 11, 5), d(2026, 11, 5))]
    assert runs([]) == []
    assert month_end(d(2024, 2, 10)) == d(2024, 2, 29)
    assert month_end(d(2026, 12, 31)) == d(2026, 12, 31)
    assert month_key(d(2026, 3, 1)) == "2026-03" and month_key(None) == ""
    # A time at 00:30 on 1 December in Shanghai is still November in UTC.
    late = dt.datetime(2026, 11, 30, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert month_start(late) == d(2026, 12, 1)
    assert month_start(None) is None


def test_labels_are_read_in_one_query_with_the_none_label(django_assert_num_queries):
    a = Department.objects.create(name="甲局", code="T-A")
    with django_assert_num_queries(1):
        got = labels(Department, [a.pk, None, 999_999], none="未交办")
    assert got == {a.pk: (a.pk, "甲局"), None: (None, "未交办"), 999_999: (999_999, "")}
    with django_assert_num_queries(0):
        assert labels(Department, [None], none="—") == {None: (None, "—")}


class _Recorder(DayRollup):
    """A roll-up over the appeal roll-up's own mark and built-day tables, recording what it was
    asked to rebuild instead of writing rows."""

    name = "test-rollup"

    def __init__(self, first_source=None):
        from enterprises.models import AppealStatsDay, AppealStatsMark

        self.mark_model, self.built_model = AppealStatsMark, AppealStatsDay
        self.first_source = first_source
        self.rebuilt: list[list[dt.date]] = []

    def rebuild_days(self, days):
        self.rebuilt.append(list(days))
        return len(days)

    def first_source_day(self):
        return self.first_source


def test_refresh_rebuilds_the_marked_days_once_and_forgets_their_marks():
    rollup = _Recorder()
    d = dt.date
    rollup.mark_days([d(2026, 11, 2), d(2026, 11, 2), d(2026, 11, 9)])
    result = rollup.refresh()
    assert (result.days, result.rows) == (2, 2)
    assert rollup.rebuilt == [[d(2026, 11, 2), d(2026, 11, 9)]]
    assert not rollup.mark_model.objects.exists()
    assert set(rollup.built_model.objects.values_list("day", flat=True)) == {
        d(2026, 11, 2),
        d(2026, 11, 9),
    }
    assert rollup.refresh().days == 0


def test_a_rebuild_of_every_day_starts_at_the_first_built_day_when_the_sources_are_gone():
    d = dt.date
    rollup = _Recorder(first_source=None)
    assert rollup.rebuild().days == 0  # nothing counted, nothing built: nothing to do
    rollup.built_model.objects.create(
        day=d(2026, 10, 30), built_at=dt.datetime.now(ZoneInfo("UTC"))
    )
    result = rollup.rebuild(last=d(2026, 11, 2))
    # A month per transaction: 30–31 October, then 1–2 November.
    assert rollup.rebuilt == [[d(2026, 10, 30), d(2026, 10, 31)], [d(2026, 11, 1), d(2026, 11, 2)]]
    assert result.days == 4
    rollup.rebuilt.clear()
    rollup.first_source = d(2026, 10, 29)
    rollup.rebuild(last=d(2026, 10, 31))
    assert rollup.rebuilt == [[d(2026, 10, 29), d(2026, 10, 30), d(2026, 10, 31)]]
