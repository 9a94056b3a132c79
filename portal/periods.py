"""Periods of the cross-app figures (the cockpit, the yearly report): a year, a half, a quarter
or any run of days, parsed from what a person types or a link carries.

``Period`` is a closed range of days (Asia/Shanghai dates) with a label and a kind; ``shifted``
gives the same period a number of periods back (the previous quarter, the same half last year),
so that a change against last year and a trend are computed the same way for every app.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

YEAR, HALF, QUARTER, RANGE = "year", "half", "quarter", "range"
# How many periods of a kind make a year (a range is shifted by whole years).
PER_YEAR = {YEAR: 1, HALF: 2, QUARTER: 4, RANGE: 1}
_PATTERN = re.compile(r"^(\d{4})(?:([HQ])(\d))?$")
FIRST_YEAR, LAST_YEAR = 1990, 2100


class PeriodError(ValueError):
    """A period that cannot be read; ``str()`` is the message for the person who typed it."""


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date
    kind: str = RANGE

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return str(self.start.year)
        if self.kind == HALF:
            return f"{self.start.year}H{1 if self.start.month == 1 else 2}"
        if self.kind == QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    @property
    def code(self) -> str:
        """How the period is written in a link (``period=``); a range has none."""
        return "" if self.kind == RANGE else self.label

    def params(self) -> dict[str, str]:
        """The period as the cockpit's query parameters."""
        if self.kind == RANGE:
            return {"from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.code}

    def shifted(self, periods: int) -> Period:
        """The period ``periods`` back (negative) or ahead of this one, of the same kind: the
        previous quarter is ``shifted(-1)``, the same quarter last year ``shifted(-4)``."""
        if self.kind == RANGE:
            return Period(_add_years(self.start, periods), _add_years(self.end, periods), RANGE)
        months = 12 // PER_YEAR[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + periods * months
        start = dt.date(index // 12, index % 12 + 1, 1)
        end_index = index + months
        end = dt.date(end_index // 12, end_index % 12 + 1, 1) - dt.timedelta(days=1)
        return Period(start, end, self.kind)

    def last_year(self) -> Period:
        """The same period one year earlier."""
        return self.shifted(-PER_YEAR[self.kind])

    def preceding(self, count: int) -> list[Period]:
        """The ``count`` periods up to and including this one, oldest first."""
        return [self.shifted(-n) for n in range(count - 1, -1, -1)]

    def cut_at(self, today: dt.date) -> dt.date:
        """The period's last day, or ``today`` when the period runs on past it: a cumulative
        figure counts up to then."""
        return min(self.end, today)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_period(text: str) -> Period:
    """``2023`` (a year), ``2023H1`` / ``2023H2`` (a half), ``2023Q1`` … ``2023Q4`` (a
    quarter). Raises :class:`PeriodError` with a message otherwise."""
    match = _PATTERN.match((text or "").strip().upper())
    if not match:
        raise PeriodError(
            _(
                "“%(text)s” is not a period: write a year (2023), a half (2023H1) or a quarter (2023Q3)."
            )
            % {"text": text}
        )
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    part, number = match.group(2), match.group(3)
    if part is None:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR)
    kind, count = (HALF, 2) if part == "H" else (QUARTER, 4)
    number = int(number)
    if not 1 <= number <= count:
        raise PeriodError(
            _("“%(text)s” is not a period: a half is H1 or H2, a quarter Q1 to Q4.")
            % {"text": text}
        )
    months = 12 // count
    start = dt.date(year, (number - 1) * months + 1, 1)
    return _whole(start, months, kind)


def _whole(start: dt.date, months: int, kind: str) -> Period:
    index = start.year * 12 + start.month - 1 + months
    end = dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(start, end, kind)


def _parse_day(text: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            _("“%(text)s” is not a date: write %(name)s as YYYY-MM-DD.")
            % {"text": text, "name": name}
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


def period_from_params(params, today: dt.date | None = None) -> Period:
    """The period a request asks for: ``period`` (year, half or quarter), or ``from`` and
    ``to`` (days, ``YYYY-MM-DD``; a year alone in ``from`` is that year), or by default the
    current year. Raises :class:`PeriodError` for anything malformed."""
    today = today or timezone.localdate()
    code = (params.get("period") or "").strip()
    start, end = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if code:
        if start or end:
            raise PeriodError(_("Give either a period or from and to, not both."))
        return parse_period(code)
    if not start and not end:
        return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), YEAR)
    if start and not end and _PATTERN.match(start.upper()):
        return parse_period(start)
    first = _parse_day(start, "from") if start else None
    last = _parse_day(end, "to") if end else None
    if first is None:
        first = dt.date(last.year, 1, 1)
    if last is None:
        last = max(first, today)
    if last < first:
        raise PeriodError(_("The period ends before it starts."))
    if (last - first).days > 366 * 10:
        raise PeriodError(_("A period is at most ten years long."))
    whole = _named(first, last)
    return whole or Period(first, last, RANGE)


def _named(first: dt.date, last: dt.date) -> Period | None:
    """A range that is exactly a year, half or quarter is that period (so it trends by it)."""
    if first.day != 1:
        return None
    for kind, months in ((YEAR, 12), (HALF, 6), (QUARTER, 3)):
        if (first.month - 1) % months == 0:
            period = _whole(first, months, kind)
            if period.end == last:
                return period
    return None


def list_window(params) -> tuple[dt.date | None, dt.date | None]:
    """The ``from`` and ``to`` days a list opened from a figure is cut to (``YYYY-MM-DD``);
    a malformed or missing one is no bound (a list never fails on its filters)."""
    bounds = []
    for name in ("from", "to"):
        try:
            bounds.append(dt.date.fromisoformat((params.get(name) or "").strip()))
        except ValueError:
            bounds.append(None)
    return bounds[0], bounds[1]


def list_county(params):
    """The county (``Region``) a list opened from a figure is cut to, by its 12- or 6-digit
    ``county`` code; ``None`` when absent or not a county's code."""
    from portal.models import Region

    raw = (params.get("county") or "").strip()
    if not raw.isdigit() or len(raw) not in (6, 12):
        return None
    return Region.objects.filter(code=raw.ljust(12, "0"), level=Region.Level.COUNTY).first()


def window_q(field: str, start: dt.date | None, end: dt.date | None):
    """``field`` (a date) from ``start`` to ``end``, either open."""
    from django.db.models import Q

    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lte": end})
    return q
