"""``seed_demo``'s archive: the latest batch of 46 as the rows give it, liaison for most, the
accounts, and a second run that adds nothing."""

import io

import pytest
from django.core.management import call_command

from nonparty import selectors
from nonparty.demo import LATEST
from nonparty.models import Batch, Liaison, Person, Proposal, Status
from portal.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_latest_batch_is_the_articles_as_whole_people_allow(seeded):
    batch = Batch.objects.get(name=LATEST["name"])
    assert batch.frozen
    # 37.5% and 41.6% of 46 are 17.25 and 19.1 people: the rows hold 17 and 19.
    expected = {
        "size": 46,
        "masters": 17,
        "masters_share": round(17 / 46, 4),  # 37.0%
        "double_first_class": 19,
        "double_first_class_share": round(19 / 46, 4),  # 41.3%
        "average_age": 29.3,
    }
    for profile in (batch.profile, selectors.batch_profile(batch)):
        assert {key: profile[key] for key in expected} == expected
    # Two hold a part-time master's (not counted), one a 宁波大学 degree in another discipline.
    people = batch.people.all()
    assert people.filter(educations__degree="master", educations__full_time=False).count() == 2
    assert people.filter(educations__university__name="宁波大学").exists()


def test_the_rest_of_the_demo(seeded):
    assert Person.objects.count() >= 250
    assert Batch.objects.filter(approved_at__isnull=True).count() == 1
    assert Proposal.objects.filter(adopted=True).exists()
    assert Proposal.objects.filter(adopted=False).exists()
    recognised = Person.objects.filter(status=Status.RECOGNISED)
    covered = Liaison.objects.current().filter(person__in=recognised).count()
    assert 0.75 * recognised.count() < covered < recognised.count()
    liaison1 = User.objects.get(username="liaison1")
    assert liaison1.role == Role.LIAISON and liaison1.check_password("tongxin-demo")
    assert Person.objects.visible_to(liaison1).count() > 20


def test_seeding_twice_adds_nothing(seeded):
    before = (Person.objects.count(), Liaison.objects.count(), Batch.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Person.objects.count(), Liaison.objects.count(), Batch.objects.count()) == before


def test_talk_plans_part_done(seeded):
    from django.utils import timezone

    from nonparty.models import TalkPlan

    year = timezone.localdate().year
    liaison1 = User.objects.get(username="liaison1")
    total = selectors.talk_completion(liaison1, year)["total"]
    assert TalkPlan.objects.filter(year=year).count() > 100
    assert 0 < total["done"] < total["planned"]


def test_the_city_association_and_its_reports(seeded):
    from nonparty.models import Association, PresidentReport, Review
    from nonparty.selectors.associations import results_of

    association = Association.objects.get(name__startswith="衢州市知识分子联谊会")
    assert association.memberships.filter(left_on__isnull=True).count() == 31
    closed = PresidentReport.objects.get(association=association, year=2023)
    current = PresidentReport.objects.get(association=association, year=2024)
    assert (closed.state, current.state) == ("closed", "open")
    results = results_of(closed)
    assert (results.members, results.responses) == (30, 24)
    assert Review.objects.filter(report=closed).count() == 24
    assert not Review.objects.filter(report=current).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Association.objects.count() == 1 and PresidentReport.objects.count() == 2
