"""Liaison: one current cadre per person, a new link ends the old one, a handover moves a
cadre's people with the history kept; the coverage lists recognised people without a cadre."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from nonparty import selectors, services
from nonparty.models import Handover, Liaison, Status
from portal.exceptions import Conflict

pytestmark = pytest.mark.django_db
JAN = dt.date(2025, 1, 1)


def test_one_current_link_per_person_in_the_database(people, make_person):
    person = make_person()
    Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=JAN)
    with pytest.raises(IntegrityError):
        Liaison.objects.create(cadre=people["colleague"], person=person, starts_on=JAN)


def test_a_new_link_ends_the_current_one(people, make_person):
    person = make_person()
    office = people["dispatcher"]
    first = services.liaison_link(actor=office, person=person, cadre=people["cadre"], starts_on=JAN)
    services.liaison_link(
        actor=office, person=person, cadre=people["colleague"], starts_on=dt.date(2025, 3, 1)
    )
    first.refresh_from_db()
    assert first.ends_on == dt.date(2025, 3, 1)
    assert Liaison.objects.current().get(person=person).cadre == people["colleague"]
    with pytest.raises(Conflict):
        services.liaison_link(
            actor=office, person=person, cadre=people["colleague"], starts_on=dt.date(2025, 4, 1)
        )


def test_only_cadres_are_linked(people, make_person):
    with pytest.raises(ValidationError) as caught:
        services.liaison_link(
            actor=people["dispatcher"],
            person=make_person(),
            cadre=people["entrepreneur"],
            starts_on=JAN,
        )
    assert "cadre" in caught.value.message_dict


def test_a_handover_moves_every_current_person_and_keeps_the_history(people, make_person):
    office = people["dispatcher"]
    a, b, c = (make_person(name=n) for n in "甲乙丙")
    for person in (a, b):
        services.liaison_link(actor=office, person=person, cadre=people["cadre"], starts_on=JAN)
    services.liaison_link(actor=office, person=c, cadre=people["colleague"], starts_on=JAN)

    done = services.liaison_handover(
        actor=office,
        from_cadre=people["cadre"],
        to_cadre=people["colleague"],
        on=dt.date(2025, 9, 1),
        note="岗位调整",
    )

    assert done.people_count == 2
    current = Liaison.objects.current()
    assert set(
        current.filter(cadre=people["colleague"]).values_list("person__name", flat=True)
    ) == {
        "甲",
        "乙",
        "丙",
    }
    assert not current.filter(cadre=people["cadre"]).exists()
    ended = Liaison.objects.filter(cadre=people["cadre"])
    assert {link.ends_on for link in ended} == {dt.date(2025, 9, 1)}
    assert {link.handover_out_id for link in ended} == {done.pk}
    assert Liaison.objects.filter(handover_in=done).count() == 2
    assert Handover.objects.count() == 1


def test_a_handover_needs_people_and_two_cadres(people, make_person):
    office = people["dispatcher"]
    with pytest.raises(ValidationError) as caught:
        services.liaison_handover(
            actor=office, from_cadre=people["cadre"], to_cadre=people["colleague"], on=JAN
        )
    assert "from_cadre" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.liaison_handover(
            actor=office, from_cadre=people["cadre"], to_cadre=people["cadre"], on=JAN
        )
    assert "to_cadre" in caught.value.message_dict


def test_coverage_lists_recognised_people_without_a_cadre(people, make_person):
    office = people["dispatcher"]
    covered = make_person(name="有干部", status=Status.RECOGNISED)
    make_person(name="无干部", status=Status.RECOGNISED)
    make_person(name="候选", status=Status.CANDIDATE)
    services.liaison_link(actor=office, person=covered, cadre=people["cadre"], starts_on=JAN)
    assert [p.name for p in selectors.uncovered(office)] == ["无干部"]


def test_only_the_office_links(people, make_person):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.liaison_link(
            actor=people["cadre"], person=make_person(), cadre=people["cadre"], starts_on=JAN
        )
