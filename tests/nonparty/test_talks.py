"""Yearly talk plans: completion per cadre (talks counted up to each person's plan), withdrawn
people dropping out, a cadre recording a talk, the monthly reminder (once a month) and the
API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nonparty import selectors, services
from nonparty.models import Liaison, Status, Talk, TalkPlan
from portal.exceptions import Conflict
from portal.models import Notification

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def plans(people, make_person):
    office = people["dispatcher"]
    a, b, c = (make_person(name=n, status=Status.RECOGNISED) for n in "甲乙丙")
    for person in (a, b):
        Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=dt.date(2025, 1, 1))
    Liaison.objects.create(cadre=people["colleague"], person=c, starts_on=dt.date(2025, 1, 1))
    plan_a = services.talk_plan_set(
        actor=office, year=YEAR, cadre=people["cadre"], person=a, times=2
    )
    plan_b = services.talk_plan_set(
        actor=office, year=YEAR, cadre=people["cadre"], person=b, times=2
    )
    plan_c = services.talk_plan_set(
        actor=office, year=YEAR, cadre=people["colleague"], person=c, times=4
    )
    return {"a": plan_a, "b": plan_b, "c": plan_c}


def talk(plan, actor, day=dt.date(2026, 3, 1)):
    return services.talk_record(
        actor=actor, plan=plan, data={"held_on": day, "form": "face", "topics": "近况"}
    )


def test_completion_counts_talks_up_to_each_plan(people, plans):
    for _ in range(3):  # three talks with 甲 count as his two
        talk(plans["a"], people["cadre"])
    talk(plans["c"], people["colleague"])
    data = selectors.talk_completion(people["dispatcher"], YEAR)
    rows = {row["name"]: row for row in data["rows"]}
    assert (rows["傅联络"]["planned"], rows["傅联络"]["done"]) == (4, 2)
    assert rows["傅联络"]["completion"] == 0.5
    assert (rows["童联络"]["planned"], rows["童联络"]["done"]) == (4, 1)
    assert data["total"] == {"people": 3, "planned": 8, "done": 3, "completion": 0.375}


def test_withdrawn_people_drop_out_of_the_plan(people, plans):
    person = plans["b"].person
    person.status = Status.WITHDRAWN
    person.save()
    rows = {
        row["name"]: row for row in selectors.talk_completion(people["dispatcher"], YEAR)["rows"]
    }
    assert rows["傅联络"]["planned"] == 2
    with pytest.raises(Conflict):
        talk(plans["b"], people["cadre"])


def test_who_records_a_talk(people, plans):
    with pytest.raises(PermissionDenied):
        talk(plans["c"], people["cadre"])  # the colleague's person
    with pytest.raises(ValidationError):
        talk(plans["a"], people["cadre"], day=dt.date(2025, 12, 31))  # another year
    talk(plans["c"], people["dispatcher"])
    assert Talk.objects.count() == 1


def test_a_cadre_sees_their_own_plans(people, plans):
    assert set(TalkPlan.objects.visible_to(people["cadre"])) == {plans["a"], plans["b"]}
    rows = selectors.talk_completion(people["cadre"], YEAR)["rows"]
    assert [row["name"] for row in rows] == ["傅联络"]


def test_a_cadre_behind_plan_is_reminded_once_a_month(people, plans):
    # On 1 July six months are past: 傅 is due 2 of 4 and has 1; 童 is due 2 of 4 and has 2.
    talk(plans["a"], people["cadre"])
    talk(plans["c"], people["colleague"])
    talk(plans["c"], people["colleague"], day=dt.date(2026, 4, 1))
    assert services.talk_reminders_sweep(today=dt.date(2026, 7, 1)) == 1
    assert services.talk_reminders_sweep(today=dt.date(2026, 7, 20)) == 0  # once this month
    told = Notification.objects.filter(kind="nonparty.talks_behind")
    assert [n.recipient for n in told] == [people["cadre"]]
    assert services.talk_reminders_sweep(today=dt.date(2026, 8, 1)) == 1  # next month again
    assert services.talk_reminders_sweep(today=dt.date(2026, 1, 15)) == 0  # nothing due yet


def test_a_cadre_records_a_talk_on_the_page(client, people, plans):
    client.force_login(people["cadre"])
    page = client.get(reverse("nonparty:talks"), {"year": YEAR}).content.decode()
    assert "甲" in page and "丙" not in page
    url = reverse("nonparty:talk-record", args=[plans["a"].pk])
    response = client.post(url, {"held_on": "2026-05-06", "form": "phone", "topics": "履职"})
    assert response.status_code == 302
    assert client.post(url, {"held_on": "", "form": "x"}).status_code == 400
    other = reverse("nonparty:talk-record", args=[plans["c"].pk])
    assert client.get(other).status_code == 404


def test_the_api(client, people, plans):
    talk(plans["a"], people["cadre"])
    client.force_login(people["leader"])
    body = client.get("/api/v1/nonparty/talk-plans/", {"year": YEAR}).json()
    assert body["year"] == YEAR
    row = next(r for r in body["rows"] if r["cadre"]["name"] == "傅联络")
    assert row == {
        "cadre": {"id": people["cadre"].pk, "name": "傅联络"},
        "people": 2,
        "planned": 4,
        "done": 1,
        "completion": 0.25,
    }
    assert client.get("/api/v1/nonparty/talk-plans/", {"year": "x"}).status_code == 400
    client.force_login(people["entrepreneur"])
    assert client.get("/api/v1/nonparty/talk-plans/").status_code == 403
