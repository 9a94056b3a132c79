import datetime as dt

import pytest

from alliances.periods import Period, PeriodKind


def test_half_and_year():
    h1 = Period.parse("2023H1")
    assert (h1.year, h1.half, h1.kind, h1.code) == (2023, 1, PeriodKind.HALF, "2023H1")
    assert (h1.starts_on, h1.ends_on) == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    h2 = Period.parse(" 2023h2 ")
    assert (h2.starts_on, h2.ends_on) == (dt.date(2023, 7, 1), dt.date(2023, 12, 31))
    year = Period.parse("2023")
    assert year.kind == PeriodKind.YEAR and str(year) == "2023"
    assert (year.starts_on, year.ends_on) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def test_previous_year_and_order():
    assert Period.parse("2023H1").previous_year() == Period.parse("2022H1")
    assert Period.parse("2023").previous_year().code == "2022"
    assert Period.parse("2022H2") < Period.parse("2023H1")
    assert Period.parse("2023H1").contains(dt.date(2023, 6, 30))
    assert not Period.parse("2023H1").contains(dt.date(2023, 7, 1))


@pytest.mark.parametrize("code", ["", None, "2023H3", "23H1", "2023-H1", "H1", "2023Q1", "20231"])
def test_malformed_codes_say_what_is_expected(code):
    with pytest.raises(ValueError, match="expected a year"):
        Period.parse(code)
