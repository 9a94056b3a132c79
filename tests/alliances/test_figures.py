"""The figures per period against small hand-computed cases: only approved versions in force
of member villages count; a village in two alliances counts once in the total; a member that
left before the period does not count; year-on-year change; scoping; a flat query count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.figures import figures, series
from alliances.models import Alliance, Indicator, Membership, ReportValue, VillageReport
from alliances.periods import Period
from alliances.services import ensure_indicators
from tests.alliances.conftest import region

H1 = Period.parse("2023H1")


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


def report(village, period, collective, operating, *, status="approved", version=1, effective=None):
    p = Period.parse(period)
    effective = status == "approved" if effective is None else effective
    r = VillageReport.objects.create(
        village=village,
        period=p.code,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        status=status,
        version=version,
        is_effective=effective,
    )
    for code, value in (("collective_income", collective), ("operating_income", operating)):
        if value is not None:
            ReportValue.objects.create(
                report=r, indicator=Indicator.objects.get(code=code), value=Decimal(value)
            )
    return r


def alliance(name, lead, *members, joined=dt.date(2021, 1, 1), left=None):
    a = Alliance.objects.create(name=name, founded_on=dt.date(2021, 1, 1), lead_village=lead)
    for village in (lead, *members):
        Membership.objects.create(alliance=a, region=village, joined_on=joined, left_on=left)
    return a


@pytest.fixture
def world(places, office):
    p = places
    ginger = alliance("生姜联盟", p["shuangdai"], p["muchen_v"], p["js_a"])
    homestay = alliance("民宿联盟", p["muchen_v"], p["plain_ly"])
    # 枫石村 left its alliance before 2023: it does not count in 2023H1.
    alliance("旧联盟", p["js_b"], joined=dt.date(2021, 1, 1), left=dt.date(2022, 12, 31))
    report(p["shuangdai"], "2023H1", "600000", "300000")
    report(p["muchen_v"], "2023H1", "700000", "400000")  # in both alliances
    report(p["plain_ly"], "2023H1", "100000", "50000")
    report(p["js_a"], "2023H1", "200000", "100000")
    report(p["js_b"], "2023H1", "999999", "999999")  # left before the period
    report(p["yushan_v"], "2023H1", "888888", "888888")  # in no alliance
    # Not in force: a draft, and a superseded version beside its correction.
    report(p["shuangdai"], "2023H1", "1", "1", status="draft", version=2)
    report(p["js_a"], "2022H1", "1", "1", status="approved", version=1, effective=False)
    report(p["js_a"], "2022H1", "100000", "100000", status="approved", version=2)
    report(p["shuangdai"], "2022H1", "500000", "200000")
    return {"ginger": ginger, "homestay": homestay}


def test_by_county_hand_computed(world, office):
    data = figures(office, H1, "county")
    rows = {r["key"]: r for r in data["rows"]}
    assert set(rows) == {"330825", "330881"}
    ly = rows["330825"]
    assert ly["label"] == "龙游县" and ly["villages"] == 3
    assert ly["indicators"]["collective_income"]["total"] == 1400000.0
    assert ly["indicators"]["collective_income"]["average"] == pytest.approx(466666.67)
    assert ly["ethnic"]["villages"] == 2
    assert ly["ethnic"]["indicators"]["collective_income"]["average"] == 650000.0
    assert ly["ethnic"]["indicators"]["operating_income"]["average"] == 350000.0
    # Year on year: 2022H1 had 双戴 alone (500000), 2023H1 averages 466666.67 over three.
    assert ly["indicators"]["collective_income"]["previous_average"] == 500000.0
    assert ly["indicators"]["collective_income"]["change"] == pytest.approx(-0.0667, abs=1e-4)
    js = rows["330881"]
    assert js["villages"] == 1  # 枫石 left before the period
    assert js["indicators"]["collective_income"]["total"] == 200000.0
    assert js["indicators"]["collective_income"]["change"] == 1.0  # the version in force: 100000
    assert data["total"]["villages"] == 4
    assert data["total"]["indicators"]["collective_income"]["total"] == 1600000.0
    assert data["total"]["ethnic"]["indicators"]["collective_income"]["average"] == 650000.0


def test_by_alliance_counts_a_village_for_each_alliance_and_once_in_the_total(world, office):
    data = figures(office, H1, "alliance")
    rows = {r["label"]: r for r in data["rows"]}
    assert set(rows) == {"生姜联盟", "民宿联盟"}
    assert rows["生姜联盟"]["villages"] == 3
    assert rows["生姜联盟"]["indicators"]["collective_income"]["total"] == 1500000.0
    assert rows["民宿联盟"]["villages"] == 2
    assert rows["民宿联盟"]["indicators"]["operating_income"]["total"] == 450000.0
    assert rows["民宿联盟"]["key"] == world["homestay"].pk
    assert data["total"]["villages"] == 4
    assert data["total"]["indicators"]["collective_income"]["total"] == 1600000.0


def test_a_village_that_joined_after_the_period_does_not_count(places, office):
    alliance("新联盟", places["js_b"], joined=dt.date(2023, 7, 1))
    report(places["js_b"], "2023H1", "1000", "1000")
    assert figures(office, H1, "county")["rows"] == []
    assert figures(office, Period.parse("2023H2"), "county")["rows"] == []
    report(places["js_b"], "2023H2", "1000", "1000")
    assert figures(office, Period.parse("2023H2"), "county")["total"]["villages"] == 1


def test_county_staff_see_their_county_only(world, county_jiangshan, reporter):
    data = figures(county_jiangshan, H1, "county")
    assert [r["key"] for r in data["rows"]] == ["330881"]
    assert data["total"]["villages"] == 1
    assert figures(reporter, H1, "county")["total"]["villages"] == 1  # their own village


def test_no_figures_is_zero_not_an_error(places, office):
    data = figures(office, H1, "alliance")
    assert data["rows"] == [] and data["total"]["villages"] == 0
    assert data["total"]["indicators"]["collective_income"]["average"] is None


def test_series_has_periods_in_columns(world, office):
    data = series(office, [Period.parse("2022H1"), H1], "county")
    total = data["rows"][-1]
    assert total["values"]["2023H1"]["villages"] == 4
    assert total["values"]["2022H1"]["indicators"]["collective_income"]["total"] == 600000.0


@pytest.mark.parametrize("group_by", ["county", "alliance"])
def test_query_count_is_flat_in_the_number_of_villages(places, office, group_by):
    def count():
        office_fresh = type(office).objects.get(pk=office.pk)
        with CaptureQueriesContext(connection) as ctx:
            figures(office_fresh, H1, group_by)
        return len(ctx.captured_queries)

    lead = region("330825206301", "村0", ethnic=True)
    a = alliance("大联盟", lead)
    report(lead, "2023H1", "1", "1")
    few = count()
    for n in range(1, 30):
        village = region(f"330825206{300 + n + 1:03d}", f"村{n}", ethnic=n % 2 == 0)
        Membership.objects.create(alliance=a, region=village, joined_on=dt.date(2021, 1, 1))
        report(village, "2023H1", "1", "1")
    assert count() == few <= 10
