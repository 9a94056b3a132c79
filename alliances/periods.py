"""Reporting periods of the alliances' figures: a half year (``2023H1``, ``2023H2``) or a whole
year (``2023``). One small value type, so every reader parses and orders codes the same way."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_CODE = re.compile(r"^(?P<year>[0-9]{4})(?:H(?P<half>[12]))?$")
# The regex the database checks stored codes against (the same shape as ``_CODE``).
PERIOD_CODE_REGEX = r"^[0-9]{4}(H[12])?$"


class PeriodKind(StrEnum):
    HALF = "half"
    YEAR = "year"


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """A period: ``year`` and, for a half year, ``half`` (1 or 2; ``None`` for the whole year)."""

    year: int
    half: int | None = None

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"period year {self.year} is out of range (1900–9999)")
        if self.half not in (None, 1, 2):
            raise ValueError(f"period half must be 1, 2 or None, not {self.half!r}")

    @classmethod
    def parse(cls, code: str) -> Period:
        """``"2023H1"`` → first half of 2023, ``"2023"`` → the year 2023 (case and surrounding
        blanks ignored). Anything else is a ``ValueError`` saying what is expected."""
        match = _CODE.match(str(code or "").strip().upper())
        if match is None:
            raise ValueError(
                f"malformed period {code!r}: expected a year (2023) or a half year (2023H1, 2023H2)"
            )
        half = match.group("half")
        return cls(int(match.group("year")), int(half) if half else None)

    @property
    def kind(self) -> PeriodKind:
        return PeriodKind.YEAR if self.half is None else PeriodKind.HALF

    @property
    def code(self) -> str:
        return str(self.year) if self.half is None else f"{self.year}H{self.half}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    def previous_year(self) -> Period:
        """The same period one year earlier (2023H1 → 2022H1), for year-on-year change."""
        return Period(self.year - 1, self.half)

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def __str__(self) -> str:
        return self.code
