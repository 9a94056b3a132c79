"""Helpers every app's figures are written with, so that a rate, a median, a month label or a
roll-up means the same thing on every page.

* ``rate``, ``rounded`` and ``histogram_median``: the arithmetic, with ``None`` where there is
  nothing to divide by or nothing to take the middle of (a page shows "—", never 0 % or an error).
* ``runs``, ``month_start``, ``month_end``, ``month_key``: days and months as the figures cut them
  (Asia/Shanghai dates).
* ``labels``: the ``{key: (key, label)}`` a grouping answers, read in one query, with the label
  of the "none" group.
* ``DayRollup``: the mark-and-refresh pattern of a roll-up kept by day. Every change marks its
  day (an append-only row, so marking never waits for a lock); ``refresh`` rebuilds the marked
  days, ``rebuild`` every day of a period; both take one advisory lock in turn and delete only
  the marks they read before they started, so a change committed meanwhile keeps its day live
  until the next run. An app supplies the models and ``rebuild_days``.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Min
from django.utils import timezone

__all__ = [
    "DayRollup",
    "Rebuilt",
    "histogram_median",
    "labels",
    "month_end",
    "month_key",
    "month_start",
    "rate",
    "rounded",
    "runs",
]


# --- arithmetic -------------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction 0–1 rounded to 4 places; ``None`` where the denominator is 0."""
    return round(numerator / denominator, 4) if denominator else None


def rounded(value, places: int = 2) -> float | None:
    """``value`` as a float rounded to ``places``; ``None`` stays ``None``."""
    return round(float(value), places) if value is not None else None


def histogram_median(
    histogram: Sequence[int], over: int = 0, tail: Callable[[], list[int]] | None = None
) -> float | None:
    """The median of the values counted in ``histogram`` (``histogram[d]`` values equal to
    ``d``) and ``over`` larger ones, which ``tail()`` lists sorted when the median lies among
    them. For an even count, the mean of the middle two (as ``PERCENTILE_CONT(0.5)``); ``None``
    when nothing is counted, or when the tail no longer holds what the counts said."""
    counted = sum(histogram)
    n = counted + over
    if not n:
        return None
    middle = []
    for rank in sorted({(n + 1) // 2, (n + 2) // 2}):  # 1-based; one rank when n is odd
        seen = 0
        for value, count in enumerate(histogram):
            seen += count
            if rank <= seen:
                middle.append(value)
                break
        else:
            longer = tail() if tail is not None else []
            if not longer:  # changed since the counts were read: no median, not a wrong one
                return None
            middle.append(longer[min(rank - counted, len(longer)) - 1])
    return sum(middle) / len(middle)


# --- days and months --------------------------------------------------------------------------


def runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Days (any order, repeats allowed) as sorted runs of consecutive days."""
    result: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if result and result[-1][1] + dt.timedelta(days=1) == day:
            result[-1] = (result[-1][0], day)
        else:
            result.append((day, day))
    return result


def month_start(value: dt.date | dt.datetime | None) -> dt.date | None:
    """The first day of the month of a date, or of a time read in local time (Asia/Shanghai)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.replace(day=1) if value else None


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def month_key(day: dt.date | None) -> str:
    """A month as its label and key, ``2026-11``; ``""`` for none."""
    return day.strftime("%Y-%m") if day else ""


# --- labels -----------------------------------------------------------------------------------


def labels(
    source: type[models.Model] | models.QuerySet,
    keys: Iterable[Hashable],
    *,
    field: str = "name",
    none: str = "",
) -> dict:
    """``{key: (key, label)}`` for primary keys of ``source`` (a model or queryset; one query),
    ``none`` as the label of the ``None`` key and ``""`` for a key no longer there."""
    keys = list(keys)
    queryset = source if isinstance(source, models.QuerySet) else source._default_manager.all()
    ids = [key for key in keys if key is not None]
    names = dict(queryset.filter(pk__in=ids).values_list("pk", field)) if ids else {}
    return {key: (key, names.get(key, "") if key is not None else none) for key in keys}


# --- the mark-and-refresh roll-up -------------------------------------------------------------


@dataclass
class Rebuilt:
    days: int = 0
    rows: int = 0


class DayRollup:
    """A roll-up kept by day. Subclasses set ``name`` (the lock's), ``mark_model`` (rows with a
    ``day``: the days out of date), ``built_model`` (rows with a unique ``day`` and ``built_at``:
    the days built) and implement ``rebuild_days`` (replace the rows of the days, in the
    caller's transaction, under the lock; return the rows written) and ``first_source_day``
    (the first day anything counted, or ``None``)."""

    name: str
    mark_model: type[models.Model]
    built_model: type[models.Model]
    batch = 5000

    @property
    def lock_key(self) -> int:
        return zlib.crc32(f"tongxin:{self.name}".encode())

    # What an app supplies.
    def rebuild_days(self, days: list[dt.date]) -> int:
        raise NotImplementedError

    def first_source_day(self) -> dt.date | None:
        raise NotImplementedError

    # Marking.
    def mark_days(self, days: Iterable[dt.date]) -> None:
        """Mark days whose rows changed (a step, a bulk load, an import, an admin edit)."""
        self.mark_model.objects.bulk_create(self.mark_model(day=day) for day in set(days))

    # Rebuilding.
    def lock(self) -> None:
        """Wait for any other rebuild of this roll-up to finish (PostgreSQL advisory lock; SQLite
        has one writer anyway); and no JIT in this transaction, which doubles a rebuild's
        time."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self.lock_key])
                cursor.execute("SET LOCAL jit = off")

    def record_built(self, days: list[dt.date]) -> None:
        now = timezone.now()
        self.built_model.objects.bulk_create(
            [self.built_model(day=day, built_at=now) for day in days],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["built_at"],
        )

    def forget(self, marks: list[int]) -> None:
        for start in range(0, len(marks), self.batch):
            self.mark_model.objects.filter(pk__in=marks[start : start + self.batch]).delete()

    def refresh(self) -> Rebuilt:
        """Rebuild the days marked since their last rebuild (a beat task, every minute)."""
        with transaction.atomic():
            self.lock()
            marks = list(self.mark_model.objects.values_list("pk", "day"))
            days = sorted({day for _pk, day in marks})
            rows = self.rebuild_days(days)
            self.record_built(days)
            self.forget([pk for pk, _day in marks])
        return Rebuilt(days=len(days), rows=rows)

    def first_day(self) -> dt.date | None:
        """Where a rebuild of every day starts: the first day anything counted, or the first
        day the roll-up has built if earlier, so that the rows of days whose source rows are
        gone are replaced by nothing."""
        starts = [
            self.built_model.objects.aggregate(first=Min("day"))["first"],
            self.first_source_day(),
        ]
        starts = [day for day in starts if day is not None]
        return min(starts) if starts else None

    def rebuild(self, first: dt.date | None = None, last: dt.date | None = None) -> Rebuilt:
        """Rebuild every day from ``first`` (default ``first_day()``) to ``last`` (default:
        today), a month per transaction."""
        first = first or self.first_day()
        if first is None:
            return Rebuilt()
        last = last or timezone.localdate()
        result = Rebuilt()
        month = first.replace(day=1)
        while month <= last:
            following = month_end(month) + dt.timedelta(days=1)
            start, end = max(first, month), min(last, month_end(month))
            with transaction.atomic():
                self.lock()
                marks = list(
                    self.mark_model.objects.filter(day__range=(start, end)).values_list(
                        "pk", flat=True
                    )
                )
                days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
                result.rows += self.rebuild_days(days)
                self.record_built(days)
                result.days += len(days)
                self.forget(marks)
            month = following
        return result
