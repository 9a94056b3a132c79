"""The archive's API: the shapes CONTRACT.md fixes, the filters, and the status codes."""

import datetime as dt

import pytest

from nonparty import services
from nonparty.models import Liaison

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/nonparty/people/"
BATCHES = "/api/v1/nonparty/batches/"


@pytest.fixture
def data(people, make_person, educate):
    a = make_person(name="甲", birth_date=dt.date(1995, 6, 18))
    educate(a, "bachelor", "衢州学院")
    educate(a, "master", "衢州学院", full_time=False)
    b = make_person(name="乙", birth_date=dt.date(2000, 1, 1), field="health")
    educate(b, "doctor", "宁波大学")
    make_person(name="丙")
    batch = services.batch_create(
        actor=people["dispatcher"], name="批次", recognised_on=dt.date(2025, 6, 18)
    )
    services.batch_add_people(actor=people["dispatcher"], batch=batch, people=[a, b])
    Liaison.objects.create(cadre=people["cadre"], person=a, starts_on=dt.date(2025, 1, 1))
    return {"a": a, "b": b, "batch": batch}


def test_the_people_rows(client, people, data):
    client.force_login(people["dispatcher"])
    body = client.get(PEOPLE).json()
    assert body["count"] == 3 and set(body) >= {"count", "next", "previous", "results"}
    rows = {row["name"]: row for row in body["results"]}
    assert set(rows["甲"]) == {
        "id",
        "name",
        "birth_date",
        "highest_degree",
        "full_time",
        "double_first_class",
        "batch",
        "status",
    }
    assert rows["甲"] == {
        "id": data["a"].pk,
        "name": "甲",
        "birth_date": "1995-06-18",
        "highest_degree": "master",
        "full_time": False,
        "double_first_class": False,
        "batch": data["batch"].pk,
        "status": "candidate",
    }
    assert rows["乙"]["highest_degree"] == "doctor" and rows["乙"]["double_first_class"] is True
    assert rows["丙"]["highest_degree"] is None and rows["丙"]["batch"] is None


def test_the_filters(client, people, data):
    client.force_login(people["dispatcher"])

    def names(**query):
        return sorted(row["name"] for row in client.get(PEOPLE, query).json()["results"])

    assert names(batch=data["batch"].pk) == ["乙", "甲"]
    assert names(field="health") == ["乙"]
    assert names(cadre=people["cadre"].pk) == ["甲"]
    assert names(status="recognised") == []
    assert names(q="乙") == ["乙"]
    bad = client.get(PEOPLE, {"batch": 999999, "status": "nope", "cadre": "x"})
    assert bad.status_code == 400
    assert set(bad.json()) >= {"batch", "status", "cadre"}


def test_scope_and_status_codes(client, people, data):
    assert client.get(PEOPLE).status_code == 401
    client.force_login(people["entrepreneur"])
    assert client.get(PEOPLE).status_code == 403
    assert client.get(BATCHES).status_code == 403
    assert client.get(f"{PEOPLE}{data['a'].pk}/").status_code == 404
    assert client.get(f"{BATCHES}{data['batch'].pk}/").status_code == 404
    client.force_login(people["cadre"])
    assert [row["name"] for row in client.get(PEOPLE).json()["results"]] == ["甲"]
    assert client.get(f"{PEOPLE}{data['b'].pk}/").status_code == 404
    assert client.post(PEOPLE, {}, content_type="application/json").status_code == 403


def test_entering_a_person(client, people):
    client.force_login(people["dispatcher"])
    created = client.post(
        PEOPLE,
        {
            "name": "叶青",
            "gender": "female",
            "birth_date": "1994-03-08",
            "native_place": "330881",
            "field": "education",
            "phone": "13905709999",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["name"] == "叶青" and created.json()["status"] == "candidate"
    bad = client.post(
        PEOPLE,
        {
            "name": "",
            "gender": "x",
            "birth_date": "nope",
            "native_place": "1",
            "field": "education",
            "id_number": "123",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"name", "gender", "birth_date", "native_place"}
    again = client.post(
        PEOPLE,
        {
            "name": "叶青",
            "gender": "female",
            "birth_date": "1994-03-08",
            "native_place": "330881",
            "field": "education",
            "phone": "13905709999",
            "id_number": "123",
        },
        content_type="application/json",
    )
    assert again.status_code == 400 and "id_number" in again.json()


def test_a_batch_frozen_and_live(client, people, data):
    client.force_login(people["leader"])
    url = f"{BATCHES}{data['batch'].pk}/"
    body = client.get(url).json()
    assert body == {
        "id": data["batch"].pk,
        "name": "批次",
        "recognised_on": "2025-06-18",
        "approving_body": "",
        "size": 2,
        "masters_share": 0.5,  # 乙's doctorate; 甲's master's is part-time
        "double_first_class_share": 0.5,  # 乙 at 宁波大学
        "average_age": 27.5,  # 30 and 25 on the batch's date
        "frozen": False,
    }
    services.batch_approve(actor=people["dispatcher"], batch=data["batch"])
    education = data["b"].educations.get()
    education.full_time = False
    education.save()
    body = client.get(url).json()
    assert body["frozen"] is True and body["masters_share"] == 0.5
    assert body["live"] == {
        "masters_share": 0.0,
        "double_first_class_share": 0.5,
        "average_age": 27.5,
    }
    listing = client.get(BATCHES).json()
    assert listing["count"] == 1 and listing["results"][0] == body


def test_the_schema_lists_the_endpoints(client, people):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/nonparty/people/" in schema["paths"]
    assert "/api/v1/nonparty/batches/{id}/" in schema["paths"]


@pytest.mark.parametrize("url", [PEOPLE, BATCHES])
def test_api_lists_keep_their_number_of_queries(client, people, make_person, educate, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["dispatcher"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def batch_of(n, name):
        batch = services.batch_create(
            actor=people["dispatcher"], name=name, recognised_on=dt.date(2025, 6, 18)
        )
        persons = [make_person(name=f"{name}{i}") for i in range(n)]
        for person in persons:
            educate(person, "master", "复旦大学")
        services.batch_add_people(actor=people["dispatcher"], batch=batch, people=persons)

    batch_of(2, "少")
    few = count()
    for i in range(4):
        batch_of(6, f"多{i}")
    assert count() == few
