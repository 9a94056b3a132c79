"""Working days of mainland China, including make-up workdays (调休).

The holiday table (``CalendarDay`` and ``CalendarYear``) is the source of truth; it is seeded from
the ``chinesecalendar`` package and edited by administrators when the State Council publishes a new
year. A year missing from the table is counted as Monday to Friday, and every such question is
logged and remembered so that administrators see a banner until the year is entered.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger("portal.workdays")

UNCOVERED_CACHE_KEY = "workdays:uncovered-years"
CHINESE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarCoverageWarning(UserWarning):
    """Raised as a log warning when a date falls in a year the holiday table does not know."""


@dataclass(frozen=True)
class _Table:
    covered_years: frozenset[int]
    holidays: frozenset[date]
    workdays: frozenset[date]


_lock = threading.Lock()
_table: _Table | None = None
_loaded_at = 0.0
# Another process may edit the table; re-read it at most this often.
_MAX_AGE_SECONDS = 60.0


def invalidate() -> None:
    """Forget the in-process copy of the holiday table (called when it changes)."""
    global _table
    with _lock:
        _table = None
        _warned_years.clear()


def _load() -> _Table:
    global _table, _loaded_at
    table = _table
    if table is not None and time.monotonic() - _loaded_at < _MAX_AGE_SECONDS:
        return table
    from portal.models import CalendarDay, CalendarYear

    with _lock:
        holidays, workdays = set(), set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
        table = _Table(
            covered_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
            holidays=frozenset(holidays),
            workdays=frozenset(workdays),
        )
        _table, _loaded_at = table, time.monotonic()
    return table


_warned_years: set[int] = set()


def _check_year(table: _Table, year: int) -> None:
    if year in table.covered_years or year in _warned_years:
        return
    _warned_years.add(year)
    uncovered = _cached_uncovered()
    if year not in uncovered:
        logger.warning(
            "The holiday calendar has no arrangement for %s; counting Monday to Friday as "
            "working days. Enter the year's holidays in the admin.",
            year,
        )
        try:
            cache.set(UNCOVERED_CACHE_KEY, uncovered | {year}, timeout=None)
        except Exception:  # the cache (Redis) is down: the warning above is on record
            logger.warning("The cache is unavailable: the calendar banner may miss %s", year)


def _cached_uncovered() -> set[int]:
    # The banner is a convenience: a cache (Redis) outage must not turn pages or deadlines
    # into errors.
    try:
        return cache.get(UNCOVERED_CACHE_KEY) or set()
    except Exception:
        logger.warning("The cache is unavailable: the calendar banner cannot be read")
        return set()


def uncovered_years_asked() -> list[int]:
    """Years someone asked about that the table did not cover, and still does not."""
    asked = _cached_uncovered()
    covered = _load().covered_years
    return sorted(y for y in asked if y not in covered)


def missing_years_ahead(today: date | None = None, horizon_days: int = 60) -> list[int]:
    """Years from today to ``horizon_days`` ahead that the table does not cover."""
    today = today or timezone.localdate()
    covered = _load().covered_years
    years = range(today.year, (today + timedelta(days=horizon_days)).year + 1)
    return [y for y in years if y not in covered]


def is_working_day(day: date) -> bool:
    """True for Monday–Friday that is not a holiday, and for make-up workdays."""
    table = _load()
    _check_year(table, day.year)
    if day in table.workdays:
        return True
    if day in table.holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    ``add_working_days(d, 0)`` is ``d`` if it is a working day, else the next working day.
    Negative counts go backwards.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    if remaining == 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    It is the inverse of :func:`add_working_days` for working days:
    ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def sync_from_chinesecalendar(calendar_year_model=None, calendar_day_model=None) -> list[int]:
    """Copy every year ``chinesecalendar`` knows into the table, leaving admin-entered years alone.

    Returns the years added. Model classes may be passed in (from a data migration).
    """
    from chinese_calendar import constants

    if calendar_year_model is None or calendar_day_model is None:
        from portal.models import CalendarDay, CalendarYear

        calendar_year_model, calendar_day_model = CalendarYear, CalendarDay
    known = set(calendar_year_model.objects.values_list("year", flat=True))
    package_years = sorted(
        {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    )
    new_years = [y for y in package_years if y not in known]
    rows = [
        calendar_day_model(date=d, kind="holiday", name=CHINESE_HOLIDAY_NAMES.get(n, n))
        for d, n in constants.holidays.items()
        if d.year in new_years
    ] + [
        calendar_day_model(date=d, kind="workday", name=CHINESE_HOLIDAY_NAMES.get(n, n))
        for d, n in constants.workdays.items()
        if d.year in new_years
    ]
    calendar_day_model.objects.bulk_create(rows, ignore_conflicts=True)
    calendar_year_model.objects.bulk_create(
        [calendar_year_model(year=y, source="chinesecalendar") for y in new_years],
        ignore_conflicts=True,
    )
    invalidate()
    return new_years
