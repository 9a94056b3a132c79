"""The alliances' demo: the article's figures, computed from its rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from alliances import demo, selectors
from alliances.models import Activity, Alliance, Base, MakerTeam, Membership, VillageCompany
from portal import registry

pytestmark = pytest.mark.django_db

ARTICLE = {
    "alliances": 12,
    "ethnic_townships": 1,
    "ethnic_townships_covered": 1,
    "ethnic_villages": 49,
    "ethnic_villages_covered": 49,
    "provinces": 2,
    "cities": 2,
    "counties": 7,
    "townships": 24,
    "villages": 116,
}


def run_seeders() -> dict:
    context: dict = {"password": "tongxin-demo"}
    for seeder in registry.seeders():
        if seeder.name in ("portal", "alliances"):
            added = seeder.seed(context) or {}
            context.update(added)
    return context


def test_the_demo_coverage_is_the_articles():
    from portal.models import User

    run_seeders()
    office = User.objects.get(username="dispatcher")
    assert selectors.coverage(office, demo.COVERAGE_DAY) == ARTICLE
    assert selectors.coverage(office, timezone.localdate()) == ARTICLE
    # in mid-2022 the partner village that left at the end of the year was still a member
    assert selectors.coverage(office, dt.date(2022, 6, 30))["villages"] == 117
    assert VillageCompany.objects.count() == 9
    assert Base.objects.count() == 20
    teams = MakerTeam.objects.filter(alliance__name="石榴红创客联盟")
    totals = teams.aggregate(
        makers=Sum("members_count"),
        projects=Sum("projects_landed"),
        jobs=Sum("jobs_created"),
        benefit=Sum("benefit_yuan"),
    )
    assert teams.count() == 11
    assert 45 <= totals["makers"] <= 55 and totals["projects"] >= 10 and totals["jobs"] >= 100
    assert totals["benefit"] >= Decimal("5000000")
    homestay = Alliance.objects.get(name="举村乡民宿共富联盟")
    assert homestay.memberships.count() == 7
    figure = homestay.tourism.get(period="2023H1")
    assert (figure.visitors, figure.consumption_yuan) == (27000, Decimal("8400000"))
    assert set(Activity.objects.values_list("title", flat=True)) >= {
        "畲族三月三歌会",
        "钱江源喝山节",
    }


def test_village1_sees_the_alliances_of_the_ethnic_village():
    from portal.models import User

    run_seeders()
    reporter = User.objects.get(username="village1")
    names = set(Alliance.objects.visible_to(reporter).values_list("name", flat=True))
    assert names == {"石榴红创客联盟", "沐尘畲乡文化共同体"}
    from portal.demo import demo_village

    village = demo_village()
    assert reporter.region_ids("village_reporter") == {village.pk}
    assert village.is_ethnic and village.parent.is_ethnic


def test_seeding_twice_adds_nothing():
    run_seeders()
    before = (Alliance.objects.count(), Membership.objects.count(), Base.objects.count())
    run_seeders()
    assert (Alliance.objects.count(), Membership.objects.count(), Base.objects.count()) == before
