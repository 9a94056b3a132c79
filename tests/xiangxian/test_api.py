"""The registry's API: who gets what, the screening's filters, masked and full numbers (each
full view audited), a flat number of queries per page, entering a person with duplicates and
bad input, and the figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditLog, Region, Tag, TagCategory
from portal.services.tags import tags_set
from tests.factories import DepartmentFactory, UserFactory
from tests.xiangxian.conftest import ID_A, ID_B
from xiangxian.models import Sector, Xiangxian

pytestmark = pytest.mark.django_db

LIST = "/api/v1/xiangxian/"
STATS = "/api/v1/xiangxian/stats/"


@pytest.fixture
def staff():
    return UserFactory(role="dispatcher")


@pytest.fixture
def leader():
    return UserFactory(role="leader")


@pytest.fixture
def famous():
    category = TagCategory.objects.create(name="身份")
    return Tag.objects.create(category=category, name="院士"), Tag.objects.create(
        category=category, name="名医"
    )


@pytest.fixture
def dachen(jiangshan):
    return Region.objects.create(
        code="330881101000", name="大陈乡", level=4, parent=jiangshan, vintage=2023
    )


@pytest.fixture
def people(make_person, kecheng, dachen, famous):
    academician, doctor = famous
    a = make_person(
        name="徐明远", phone="13900001111", id_number=ID_A, is_key=True, hometown=dachen
    )
    b = make_person(name="周雅琴", residence_province="浙江省", residence_city="衢州市")
    c = make_person(
        name="柯城人",
        hometown=kecheng,
        sector=Sector.objects.get(name="商界"),
        organisation="杭州某集团",
    )
    tags_set(a, [academician, doctor], actor=None)
    tags_set(c, [doctor], actor=None)
    return a, b, c


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["entrepreneur", "handler", "department_head"])
def test_outsiders_get_403_on_the_list_and_figures_and_404_on_a_person(client, people, role):
    department = DepartmentFactory() if role in ("handler", "department_head") else None
    client.force_login(UserFactory(role=role, department=department))
    assert client.get(LIST).status_code == 403
    assert client.get(STATS).status_code == 403
    assert client.get(f"{LIST}{people[0].pk}/").status_code == 404
    response = client.post(LIST, {"name": "某"}, content_type="application/json")
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code"}


def test_anonymous_callers_get_401_or_403(client, people):
    assert client.get(LIST).status_code in (401, 403)


def test_a_leader_reads_masked_and_may_not_enter(client, people, leader, person_data):
    client.force_login(leader)
    rows = client.get(LIST).json()["results"]
    assert {row["phone"] for row in rows} == {"139****1111", ""}
    detail = client.get(f"{LIST}{people[0].pk}/").json()
    assert detail["phone"] == "139****1111" and detail["id_number"] != ID_A
    assert client.post(LIST, person_data, content_type="application/json").status_code == 403
    assert not AuditLog.objects.filter(action="view_personal").exists()


def test_a_merged_record_is_404(client, people, staff):
    a, b, _c = people
    Xiangxian.objects.filter(pk=b.pk).update(merged_into=a)
    client.force_login(staff)
    assert client.get(f"{LIST}{b.pk}/").status_code == 404
    assert "周雅琴" not in names(client.get(LIST))


# --- the rows and their numbers -----------------------------------------------------------------


def test_a_row_has_the_contract_shape(client, people, staff, famous):
    client.force_login(staff)
    body = client.get(LIST, {"q": "徐"}).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
    row = body["results"][0]
    assert {"id", "name", "sector", "hometown", "away", "tags", "phone"} <= set(row)
    assert row["hometown"] == {"code": "330881101000", "name": "大陈乡"}
    assert row["sector"] == "医卫" and row["away"] is True
    assert row["tags"] == ["名医", "院士"]  # the category's order


def test_staff_see_numbers_in_full_and_each_full_view_is_audited(client, people, staff):
    a = people[0]
    client.force_login(staff)
    rows = client.get(LIST).json()["results"]
    assert {row["phone"] for row in rows} == {"13900001111", ""}
    viewed = AuditLog.objects.filter(action="view_personal", actor=staff)
    # Only the person with a number was shown one.
    assert list(viewed.values_list("target_id", "fields")) == [(str(a.pk), ["phone"])]
    detail = client.get(f"{LIST}{a.pk}/").json()
    assert (detail["phone"], detail["id_number"]) == ("13900001111", ID_A)
    assert viewed.count() == 2
    assert viewed.first().fields == ["phone", "id_number"]


# --- filters ----------------------------------------------------------------------------------


def test_every_filter_screens_as_the_page_does(client, people, staff, famous):
    academician, doctor = famous
    business = Sector.objects.get(name="商界")
    client.force_login(staff)
    assert names(client.get(LIST)) == ["周雅琴", "徐明远", "柯城人"]  # by name
    assert names(client.get(LIST, {"sector": business.pk})) == ["柯城人"]
    assert names(client.get(LIST, {"sector": "商界"})) == ["柯城人"]
    assert sorted(names(client.get(LIST, {"tag": doctor.pk}))) == ["徐明远", "柯城人"]
    assert names(client.get(LIST, {"tag": [doctor.pk, academician.pk]})) == ["徐明远"]
    assert names(client.get(LIST, {"hometown": "330881101000"})) == ["徐明远"]
    assert sorted(names(client.get(LIST, {"hometown": "330881"}))) == ["周雅琴", "徐明远"]
    assert len(names(client.get(LIST, {"hometown": "3308"}))) == 3
    assert sorted(names(client.get(LIST, {"away": "true"}))) == ["徐明远", "柯城人"]
    assert names(client.get(LIST, {"away": "false"})) == ["周雅琴"]
    assert names(client.get(LIST, {"key": "true"})) == ["徐明远"]
    assert names(client.get(LIST, {"q": "杭州"})) == ["柯城人"]
    assert names(client.get(LIST, {"q": "杭州", "away": "false"})) == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"sector": "航天"}, "sector"),
        ({"tag": "abc"}, "tag"),
        ({"tag": 99999}, "tag"),
        ({"hometown": "999999"}, "hometown"),
        ({"hometown": "x"}, "hometown"),
        ({"away": "maybe"}, "away"),
        ({"q": "长" * 101}, "q"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_a_bad_filter_is_400_with_a_message_under_its_name(client, people, staff, params, field):
    client.force_login(staff)
    response = client.get(LIST, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body[field]


def test_the_list_reads_as_many_queries_for_5_rows_as_for_50(client, make_person, staff, famous):
    client.force_login(staff)

    def add(count, start):
        for n in range(start, start + count):
            person = make_person(name=f"批量{n:03}", phone=f"1390000{n:04}")
            tags_set(person, list(famous), actor=None)

    add(5, 0)
    client.get(LIST, {"page_size": 50})
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 5
    add(45, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 50
    assert len(few) == len(many), "\n".join(q["sql"] for q in many)
    assert AuditLog.objects.filter(action="view_personal").count() == 5 + 5 + 50


# --- entering a person --------------------------------------------------------------------------


def api_data(person_data, jiangshan, **changes):
    return {**person_data, "hometown": jiangshan.code, "birth_year": 1968, **changes}


def test_staff_enter_a_person_as_on_the_page(client, staff, person_data, jiangshan, famous):
    client.force_login(staff)
    response = client.post(
        LIST,
        api_data(person_data, jiangshan, tags=[famous[0].pk], sector="医卫"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Xiangxian.objects.get(pk=body["id"])
    assert response["Location"].endswith(f"/api/v1/xiangxian/{person.pk}/")
    assert (person.name, person.hometown, person.created_by) == ("徐明远", jiangshan, staff)
    assert person.phone_hash and person.id_number_hash
    assert body["tags"] == ["院士"]
    assert AuditLog.objects.filter(
        action="create", target_type="xiangxian.xiangxian", target_id=str(person.pk)
    ).exists()


def test_a_possible_duplicate_is_409_with_the_candidates_until_confirmed(
    client, staff, person_data, jiangshan, make_person
):
    existing = make_person(name="徐明远", phone="13900001111")
    client.force_login(staff)
    data = api_data(person_data, jiangshan, id_number=ID_B)
    response = client.post(LIST, data, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate" and body["detail"] == "此人可能已在名录中。"
    assert [c["id"] for c in body["candidates"]] == [existing.pk]
    assert Xiangxian.objects.count() == 1
    response = client.post(LIST, {**data, "confirmed_new": True}, content_type="application/json")
    assert response.status_code == 201
    # The same ID number is never entered twice, confirmed or not.
    again = client.post(LIST, {**data, "confirmed_new": True}, content_type="application/json")
    assert again.status_code == 400 and again.json()["id_number"]


def test_bad_input_is_400_with_messages_per_field_in_chinese(client, staff, person_data, jiangshan):
    client.force_login(staff)
    response = client.post(
        LIST,
        api_data(
            person_data, jiangshan, phone="12345", birth_year=1800, gender="x", hometown="3399"
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "hometown" in body
    city = client.post(
        LIST, api_data(person_data, jiangshan, hometown="3308"), content_type="application/json"
    )
    assert city.status_code == 400
    assert city.json()["hometown"] == ["籍贯至少填写到县（市、区），如江山市。"]
    response = client.post(
        LIST,
        api_data(person_data, jiangshan, phone="12345", birth_year=1800, gender="x"),
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 400
    assert {"phone", "birth_year", "gender"} <= set(body)
    assert body["birth_year"] == ["请用四位数字填写出生年份，例如 1968。"]
    assert client.post(LIST, {}, content_type="application/json").json().keys() >= {
        "name",
        "hometown",
        "sector",
    }
    assert not Xiangxian.objects.exists()


# --- figures ----------------------------------------------------------------------------------


def test_the_figures_are_counted_from_the_rows(client, people, leader, dispatcher):
    from xiangxian.models import ServiceKind
    from xiangxian.services import service_record_create

    finance = ServiceKind.objects.get(code="finance")
    for person, amount in ((people[0], "3000000"), (people[2], "1500000.50")):
        service_record_create(
            actor=dispatcher, xiangxian=person, kind=finance, served_on="2026-03-01",
            provider="衢州农商银行", value_yuan=amount,
        )  # fmt: skip
    client.force_login(leader)
    response = client.get(STATS)
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["away"]) == (3, 2)
    services = {row["kind"]: row for row in body["services"]}
    assert services["finance"] == {
        "kind": "finance", "label": "金融服务", "count": 2, "value_yuan": 4500000.5
    }  # fmt: skip
    assert services["travel"]["count"] == 0
    by_sector = {row["label"]: row["count"] for row in body["by_sector"]}
    assert by_sector["医卫"] == 2 and by_sector["商界"] == 1
    assert set(body["by_sector"][0]) == {"key", "label", "count"}
