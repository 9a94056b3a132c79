"""Who sees whom: the office all, a leader all (read only), a liaison cadre their current
people, county staff their county's people; outsiders nothing (403 on lists, 404 on objects)."""

import datetime as dt

import pytest
from django.urls import reverse

from nonparty import services
from nonparty.models import Education, Liaison, Person, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, make_person, kecheng):
    own = make_person(name="江山甲")  # native place 江山, linked to the cadre
    colleague_person = make_person(name="柯城乙", native_place=kecheng)  # the colleague's
    nobody = make_person(name="柯城丙", native_place=kecheng)
    office = people["dispatcher"]
    services.liaison_link(
        actor=office, person=own, cadre=people["cadre"], starts_on=dt.date(2025, 1, 1)
    )
    services.liaison_link(
        actor=office,
        person=colleague_person,
        cadre=people["colleague"],
        starts_on=dt.date(2025, 1, 1),
    )
    return {"own": own, "colleague": colleague_person, "nobody": nobody}


def names(user):
    return set(Person.objects.visible_to(user).values_list("name", flat=True))


def test_each_role_sees_its_people(people, world):
    everyone = {"江山甲", "柯城乙", "柯城丙"}
    assert names(people["dispatcher"]) == everyone
    assert names(people["leader"]) == everyone
    assert names(people["admin"]) == everyone
    assert names(people["cadre"]) == {"江山甲"}
    assert names(people["colleague"]) == {"柯城乙"}
    assert names(people["county"]) == {"江山甲"}
    assert names(people["other_county"]) == {"柯城乙", "柯城丙"}
    assert names(people["entrepreneur"]) == set()


def test_related_rows_follow_the_person(people, world, educate):
    educate(world["own"], "master", "复旦大学")
    educate(world["colleague"], "master", "复旦大学")
    assert Education.objects.visible_to(people["cadre"]).count() == 1
    assert Education.objects.visible_to(people["entrepreneur"]).count() == 0
    assert Liaison.objects.visible_to(people["cadre"]).get().person == world["own"]


def test_an_ended_link_ends_the_cadres_view(people, world):
    link = Liaison.objects.get(person=world["own"])
    services.liaison_end(actor=people["dispatcher"], link=link, ends_on=dt.date(2025, 6, 1))
    assert names(people["cadre"]) == set()


def test_the_cadre_records_growth_for_own_people_only(people, world):
    from django.core.exceptions import PermissionDenied

    data = {"course": "研修班", "organiser": "统战部", "days": 3, "dated_on": dt.date(2025, 3, 1)}
    record = services.growth_record_add(
        actor=people["cadre"], person=world["own"], kind="training", data=data
    )
    assert record.recorded_by == people["cadre"]
    with pytest.raises(PermissionDenied):
        services.growth_record_add(
            actor=people["cadre"], person=world["colleague"], kind="training", data=data
        )
    with pytest.raises(PermissionDenied):
        services.growth_record_add(
            actor=people["county"], person=world["own"], kind="training", data=data
        )
    assert Training.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "own", "colleague", "listing"),
    [
        ("dispatcher", 200, 200, 200),
        ("leader", 200, 200, 200),
        ("cadre", 200, 404, 200),
        ("colleague", 404, 200, 200),
        ("county", 200, 404, 200),
        ("other_county", 404, 200, 200),
        ("entrepreneur", 404, 404, 403),
    ],
)
def test_pages_answer_by_scope(client, people, world, who, own, colleague, listing):
    client.force_login(people[who])
    assert client.get(reverse("nonparty:detail", args=[world["own"].pk])).status_code == own
    detail = reverse("nonparty:detail", args=[world["colleague"].pk])
    assert client.get(detail).status_code == colleague
    assert client.get(reverse("nonparty:list")).status_code == listing
    assert client.get(reverse("nonparty:coverage")).status_code == listing
    assert client.get(reverse("nonparty:batch-list")).status_code == listing


def test_the_list_shows_only_the_scope(client, people, world):
    client.force_login(people["cadre"])
    body = client.get(reverse("nonparty:list")).content.decode()
    assert "江山甲" in body and "柯城乙" not in body and "柯城丙" not in body


def test_numbers_in_full_for_the_office_only_and_audited(client, people, make_person):
    from portal.models import AuditLog

    person = make_person(name="有号码", phone="13905701234", id_number="330881199001010018")
    url = reverse("nonparty:numbers", args=[person.pk])
    client.force_login(people["leader"])
    assert client.post(url).status_code == 403
    client.force_login(people["dispatcher"])
    page = client.get(reverse("nonparty:detail", args=[person.pk])).content.decode()
    assert "13905701234" not in page and "139****1234" in page
    shown = client.post(url)
    assert shown.status_code == 200 and "13905701234" in shown.content.decode()
    log = AuditLog.objects.get(action=AuditLog.Action.VIEW_PERSONAL)
    assert log.actor == people["dispatcher"] and set(log.fields) == {"phone", "id_number"}
