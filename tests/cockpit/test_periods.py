"""Periods of the cockpit: a year, a half, a quarter or from–to; malformed ones are 400 with
the reason, on the page and in the API."""

import datetime as dt

import pytest

from portal.periods import (
    HALF,
    QUARTER,
    RANGE,
    YEAR,
    Period,
    PeriodError,
    parse_period,
    period_from_params,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31), YEAR),
        ("2023H1", D(2023, 1, 1), D(2023, 6, 30), HALF),
        ("2023h2", D(2023, 7, 1), D(2023, 12, 31), HALF),
        ("2023Q3", D(2023, 7, 1), D(2023, 9, 30), QUARTER),
        ("2024Q1", D(2024, 1, 1), D(2024, 3, 31), QUARTER),
    ],
)
def test_named_periods(text, start, end, kind):
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert period.label == text.upper()


@pytest.mark.parametrize("text", ["", "23", "2023H3", "2023Q0", "2023Q5", "2023-1", "abcd", "1800"])
def test_malformed_periods(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_from_to_and_defaults():
    today = D(2026, 12, 7)
    assert period_from_params({}, today) == Period(D(2026, 1, 1), D(2026, 12, 31), YEAR)
    assert period_from_params({"from": "2023-03-01", "to": "2023-09-15"}, today) == Period(
        D(2023, 3, 1), D(2023, 9, 15), RANGE
    )
    # A range that is a whole quarter is that quarter (it trends by quarters).
    assert period_from_params({"from": "2023-07-01", "to": "2023-09-30"}, today).kind == QUARTER
    assert period_from_params({"from": "2023"}, today).kind == YEAR
    for bad in (
        {"from": "2023-13-01"},
        {"from": "2023-05-01", "to": "2023-04-01"},
        {"period": "2023", "from": "2023-01-01"},
        {"to": "yesterday"},
    ):
        with pytest.raises(PeriodError):
            period_from_params(bad, today)


def test_shifts_last_year_and_trend():
    q = parse_period("2023Q1")
    assert q.shifted(-1) == parse_period("2022Q4")
    assert q.last_year() == parse_period("2022Q1")
    assert [p.label for p in q.preceding(5)] == ["2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1"]
    assert parse_period("2023H2").last_year() == parse_period("2022H2")
    r = Period(D(2024, 2, 29), D(2024, 3, 10), RANGE)
    assert r.last_year() == Period(D(2023, 2, 28), D(2023, 3, 10), RANGE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?period=2023Q5", "?from=2023-02-30", "?from=2023-05-01&to=2023-01-01"]
)
def test_malformed_period_is_400_with_its_reason(client, leader, query):
    client.force_login(leader)
    response = client.get(f"/api/v1/cockpit/{query}")
    assert response.status_code == 400
    assert response.json()["period"][0]
    page = client.get(f"/cockpit/{query}")
    assert page.status_code == 400
    assert b'data-testid="cockpit-error"' in page.content


@pytest.mark.django_db
def test_unknown_county_is_400(client, leader):
    client.force_login(leader)
    response = client.get("/api/v1/cockpit/?county=999999")
    assert response.status_code == 400
    assert "county" in response.json()
    assert client.get("/cockpit/?county=999999").status_code == 400
