"""A batch's profile against small cases computed by hand: age in whole years on the batch's
date, a part-time master's not counted, a university 双一流 for one discipline only counted."""

import datetime as dt

import pytest

from nonparty import selectors, services
from nonparty.models import Batch, BatchMembership, Status

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 6, 18)


@pytest.fixture
def batch(people):
    return services.batch_create(
        actor=people["dispatcher"], name="测试批次", recognised_on=ON, approving_body="部务会"
    )


def put(batch, *persons):
    BatchMembership.objects.bulk_create([BatchMembership(batch=batch, person=p) for p in persons])


def test_age_in_whole_years_on_the_batch_date():
    assert selectors.age_on(dt.date(1995, 6, 18), ON) == 30  # birthday that day
    assert selectors.age_on(dt.date(1995, 6, 19), ON) == 29  # the day after
    assert selectors.age_on(dt.date(1996, 2, 29), dt.date(2025, 2, 28)) == 28


def test_a_hand_computed_batch(batch, make_person, educate):
    # A: full-time master at 复旦 (双一流), 30 on the date; B: part-time master at 衢州学院, 29;
    # C: bachelor at 宁波大学 in 经济学 (双一流 for 力学 only: counted), 25; D: full-time doctor
    # at 衢州学院 (not 双一流), 40.
    a = make_person(name="甲", birth_date=dt.date(1995, 6, 18), gender="female")
    educate(a, "bachelor", "衢州学院")
    educate(a, "master", "复旦大学")
    b = make_person(name="乙", birth_date=dt.date(1995, 6, 19), field="health")
    educate(b, "bachelor", "衢州学院")
    educate(b, "master", "衢州学院", full_time=False)
    c = make_person(name="丙", birth_date=dt.date(2000, 1, 1), field="health")
    educate(c, "bachelor", "宁波大学", discipline="应用经济学")
    d = make_person(name="丁", birth_date=dt.date(1985, 3, 3))
    educate(d, "doctor", "衢州学院")
    put(batch, a, b, c, d)

    profile = selectors.batch_profile(batch)

    assert profile["size"] == 4
    assert profile["masters"] == 2  # A and D; B's master's is part-time
    assert profile["masters_share"] == 0.5
    assert profile["double_first_class"] == 2  # A (复旦) and C (宁波大学, another discipline)
    assert profile["double_first_class_share"] == 0.5
    assert profile["average_age"] == round((30 + 29 + 25 + 40) / 4, 1) == 31.0
    assert profile["by_gender"] == {"male": 3, "female": 1}
    assert profile["by_field"] == {"education": 2, "health": 2}


def test_an_empty_batch_has_no_shares(batch):
    profile = selectors.batch_profile(batch)
    assert profile["size"] == 0
    assert profile["masters_share"] is None
    assert profile["average_age"] is None


def test_one_query_whatever_the_size(batch, make_person, educate, django_assert_num_queries):
    for i in range(12):
        person = make_person(name=f"人{i}")
        educate(person, "master", "复旦大学")
        put(batch, person)
    with django_assert_num_queries(1):
        selectors.batch_profile(batch)


def test_approval_freezes_the_profile(batch, make_person, educate, people):
    a = make_person(name="甲")
    master = educate(a, "master", "复旦大学")
    b = make_person(name="乙")
    educate(b, "bachelor", "衢州学院")
    services.batch_add_people(actor=people["dispatcher"], batch=batch, people=[a, b])

    approved = services.batch_approve(actor=people["dispatcher"], batch=batch)

    assert approved.frozen and approved.profile["masters_share"] == 0.5
    a.refresh_from_db()
    assert a.status == Status.RECOGNISED
    # A later edit of a degree changes the live figure, never the frozen one.
    master.full_time = False
    master.save()
    approved = Batch.objects.get(pk=batch.pk)
    assert approved.profile["masters_share"] == 0.5
    assert selectors.batch_profile(approved)["masters_share"] == 0.0


def test_an_approved_batch_takes_no_more_people_and_is_approved_once(batch, make_person, people):
    from portal.exceptions import Conflict

    a = make_person(name="甲")
    services.batch_add_people(actor=people["dispatcher"], batch=batch, people=[a])
    services.batch_approve(actor=people["dispatcher"], batch=batch)
    with pytest.raises(Conflict):
        services.batch_approve(actor=people["dispatcher"], batch=batch)
    with pytest.raises(Conflict):
        services.batch_add_people(
            actor=people["dispatcher"], batch=batch, people=[make_person(name="乙")]
        )


def test_a_person_is_in_one_batch_only(batch, make_person, people):
    from django.core.exceptions import ValidationError

    a = make_person(name="甲")
    services.batch_add_people(actor=people["dispatcher"], batch=batch, people=[a])
    other = services.batch_create(actor=people["dispatcher"], name="另一批", recognised_on=ON)
    with pytest.raises(ValidationError) as caught:
        services.batch_add_people(actor=people["dispatcher"], batch=other, people=[a])
    assert "甲" in caught.value.message_dict["people"][0]


def test_an_empty_batch_cannot_be_approved(batch, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.batch_approve(actor=people["dispatcher"], batch=batch)
