"""The demo's village figures: the computed 2023H1 averages over ethnic villages are exactly
the article's 66.2万元 and 35.3万元; each workflow state is there; seeding twice adds nothing."""

import datetime as dt

import pytest

from alliances import demo_reports
from alliances.figures import figures
from alliances.models import Alliance, Membership, VillageReport
from alliances.periods import Period
from tests.alliances.conftest import region


@pytest.fixture
def demo_world(places, office):
    villages = [places[k] for k in ("shuangdai", "muchen_v", "plain_ly", "js_a", "js_b")]
    villages += [region(f"330825206{210 + i}", f"畲村{i}", ethnic=True) for i in range(6)]
    a = Alliance.objects.create(
        name="演示联盟", founded_on=dt.date(2021, 1, 1), lead_village=villages[0]
    )
    for v in villages:
        Membership.objects.create(alliance=a, region=v, joined_on=dt.date(2021, 1, 1))
    # One that left before 2023 gets no figures.
    Membership.objects.create(
        alliance=a,
        region=places["yushan_v"],
        joined_on=dt.date(2021, 1, 1),
        left_on=dt.date(2022, 6, 1),
    )
    return villages


def test_ethnic_averages_are_the_articles(demo_world, office, reporter):
    summary = demo_reports.seed({"users": {"dispatcher": office, "village1": reporter}})
    assert "ethnic" in summary["summary"][0]
    data = figures(office, Period.parse("2023H1"), "alliance")
    ethnic = data["total"]["ethnic"]
    assert ethnic["villages"] == 8
    assert ethnic["indicators"]["collective_income"]["average"] == 662000.0
    assert ethnic["indicators"]["operating_income"]["average"] == 353000.0
    assert data["total"]["villages"] == 11
    assert data["total"]["indicators"]["collective_income"]["change"] is not None
    assert not VillageReport.objects.filter(village__code="361123100201").exists()
    # village1 (双戴村) sees a report in each state, and a corrected 2022H1.
    mine = VillageReport.objects.visible_to(reporter)
    assert set(mine.values_list("status", flat=True)) == {
        "approved",
        "submitted",
        "returned",
        "draft",
    }
    assert mine.filter(period="2022H1").count() == 2
    before = VillageReport.objects.count()
    demo_reports.seed({"users": {"dispatcher": office, "village1": reporter}})
    assert VillageReport.objects.count() == before


def test_county1_sees_each_state(demo_world, office, county_jiangshan):
    demo_reports.seed({"users": {"dispatcher": office, "county1": county_jiangshan}})
    states = set(
        VillageReport.objects.visible_to(county_jiangshan)
        .filter(period="2023H2")
        .values_list("status", flat=True)
    )
    assert {"submitted", "checked"} <= states


def test_spread_sums_exactly():
    from decimal import Decimal

    values = demo_reports.spread(49, Decimal("662000"), 23000)
    assert sum(values) == 49 * Decimal("662000") and min(values) > 0


def test_on_the_alliances_demo_the_49_ethnic_villages_average_the_articles_figures(db):
    """With the alliances' own demo (its 116 member villages, 49 of them ethnic) seeded first,
    as seed_demo runs them."""
    from portal import registry
    from portal.models import User

    context: dict = {"password": "tongxin-demo"}
    for seeder in registry.seeders():
        if seeder.name in ("portal", "alliances", "alliances_reports"):
            context.update(seeder.seed(context) or {})
    office = User.objects.get(username="dispatcher")
    total = figures(office, Period.parse("2023H1"), "alliance")["total"]
    assert (total["villages"], total["ethnic"]["villages"]) == (116, 49)
    assert total["ethnic"]["indicators"]["collective_income"]["average"] == 662000.0
    assert total["ethnic"]["indicators"]["operating_income"]["average"] == 353000.0
    village1 = User.objects.get(username="village1")
    states = set(VillageReport.objects.visible_to(village1).values_list("status", flat=True))
    assert states == {"approved", "submitted", "returned", "draft"}
    county1 = User.objects.get(username="county1")
    states = set(VillageReport.objects.visible_to(county1).values_list("status", flat=True))
    assert states == {"approved", "submitted", "checked", "returned", "draft"}
