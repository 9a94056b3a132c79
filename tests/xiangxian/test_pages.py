"""The registry's pages: who sees and edits what, the screening with saved searches and its
export, entering with duplicates shown, editing without lost updates, merging and undoing."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal.models import AuditLog, Region, Tag, TagCategory
from portal.services.tags import tags_set
from tests.factories import DepartmentFactory, UserFactory
from tests.xiangxian.conftest import ID_A
from xiangxian.models import SavedSearch, Xiangxian, XiangxianMerge

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(role="dispatcher")


@pytest.fixture
def colleague():
    return UserFactory(role="dispatcher")


@pytest.fixture
def leader():
    return UserFactory(role="leader")


def logged(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def doctors(make_person, kecheng):
    a = make_person(name="徐明远", phone="13900001111", id_number=ID_A, is_key=True)
    b = make_person(name="周雅琴", residence_province="浙江省", residence_city="衢州市")
    c = make_person(name="柯城人", hometown=kecheng)
    return a, b, c


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["entrepreneur", "handler", "department_head"])
def test_outsiders_get_403_on_lists_and_404_on_records(client, doctors, role):
    department = None if role == "entrepreneur" else DepartmentFactory()
    user = UserFactory(role=role, department=department)
    logged(client, user)
    person = doctors[0]
    assert client.get("/xiangxian/").status_code == 403
    assert client.get("/xiangxian/new/").status_code == 403
    assert client.get("/xiangxian/export/").status_code == 403
    assert client.get(f"/xiangxian/{person.pk}/").status_code == 404
    assert client.post(f"/xiangxian/{person.pk}/numbers/").status_code == 404
    assert client.get(f"/xiangxian/{person.pk}/edit/").status_code == 403


def test_anonymous_people_are_sent_to_log_in(client, doctors):
    response = client.get("/xiangxian/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_leader_reads_but_neither_edits_nor_sees_numbers(client, doctors, leader):
    logged(client, leader)
    person = doctors[0]
    page = client.get(f"/xiangxian/{person.pk}/").content.decode()
    assert "徐明远" in page and "139****1111" in page and "13900001111" not in page
    assert 'data-testid="edit-link"' not in page and "reveal-numbers" not in page
    assert client.post(f"/xiangxian/{person.pk}/numbers/").status_code == 403
    assert client.get(f"/xiangxian/{person.pk}/edit/").status_code == 403
    assert client.post("/xiangxian/new/", {"name": "x"}).status_code == 403
    assert not AuditLog.objects.filter(action="view_personal").exists()


def test_staff_see_the_numbers_in_full_on_asking_and_each_time_is_audited(client, doctors, staff):
    logged(client, staff)
    person = doctors[0]
    page = client.get(f"/xiangxian/{person.pk}/").content.decode()
    assert ID_A not in page and "3308**********0010" in page
    full = client.post(f"/xiangxian/{person.pk}/numbers/").content.decode()
    assert "13900001111" in full and ID_A in full
    audit = AuditLog.objects.get(action="view_personal", target_id=str(person.pk))
    assert audit.actor == staff and audit.fields == ["phone", "id_number"]


def test_a_merged_record_leads_nowhere(client, doctors, staff):
    kept, repeat, _ = doctors
    Xiangxian.objects.filter(pk=repeat.pk).update(merged_into=kept)
    logged(client, staff)
    assert client.get(f"/xiangxian/{repeat.pk}/").status_code == 404


# --- screening --------------------------------------------------------------------------------


def test_screening_by_hometown_at_any_level_away_key_text_and_tags(client, doctors, staff):
    a, b, c = doctors
    category = TagCategory.objects.create(name="专科")
    cardiology = Tag.objects.create(category=category, name="心内科")
    tags_set(a, [cardiology], actor=staff)
    tags_set(c, [cardiology], actor=staff)
    logged(client, staff)

    def names(**params):
        response = client.get("/xiangxian/", params)
        assert response.status_code == 200
        return sorted(p.name for p in response.context["page"].object_list)

    city = Region.objects.get(code="330800000000")
    jiangshan = Region.objects.get(code="330881000000")
    assert names() == sorted(["徐明远", "周雅琴", "柯城人"])
    assert names(hometown=city.pk) == sorted(["徐明远", "周雅琴", "柯城人"])
    assert names(hometown=jiangshan.pk) == sorted(["徐明远", "周雅琴"])
    assert names(away="true") == sorted(["徐明远", "柯城人"])
    assert names(away="false") == ["周雅琴"]
    assert names(key="on") == ["徐明远"]
    assert names(q="明远") == ["徐明远"]
    assert names(tags=cardiology.pk) == sorted(["徐明远", "柯城人"])
    assert names(tags=cardiology.pk, hometown=jiangshan.pk) == ["徐明远"]
    # Bad criteria: the form says so and nobody is screened out; never a 500.
    response = client.get("/xiangxian/", {"sector": "abc", "away": "maybe", "hometown": "x"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_list_reads_a_flat_number_of_queries(client, make_person, staff):
    logged(client, staff)
    make_person(name="甲")
    client.get("/xiangxian/")
    with CaptureQueriesContext(connection) as few:
        client.get("/xiangxian/")
    for n in range(30):
        make_person(name=f"乙{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/xiangxian/")
    assert len(many) == len(few), [q["sql"] for q in many]


def test_a_screened_page_of_tagged_people_reads_as_many_queries_for_5_rows_as_for_20(
    client, make_person, staff
):
    """A full page (20 rows, each with tags, sector and hometown shown) costs what 5 cost."""
    category = TagCategory.objects.create(name="页签")
    tags = [Tag.objects.create(category=category, name=f"签{n}") for n in range(2)]
    logged(client, staff)

    def add(count, start):
        for n in range(start, start + count):
            tags_set(make_person(name=f"页{n:02}", phone=f"1390000{n:04}"), tags, actor=None)

    params = {"tags": [tags[0].pk], "away": "true", "q": "页"}
    add(5, 0)
    client.get("/xiangxian/", params)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/xiangxian/", params).context["page"].object_list) == 5
    add(25, 5)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/xiangxian/", params).context["page"].object_list) == 20
    assert len(many) == len(few), [q["sql"] for q in many]


def test_a_saved_search_is_opened_by_a_colleague_but_deleted_only_by_its_owner(
    client, doctors, staff, colleague
):
    jiangshan = Region.objects.get(code="330881000000")
    logged(client, staff)
    query = f"hometown={jiangshan.pk}&away=true"
    response = client.post(
        "/xiangxian/searches/", {"name": "江山寓外", "shared": "on", "query": query}
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert search.params == {"hometown": [str(jiangshan.pk)], "away": ["true"]}
    private = client.post("/xiangxian/searches/", {"name": "私人", "query": "key=on"})
    assert private.status_code == 302
    # Nothing to keep: refused with a message, nothing saved.
    client.post("/xiangxian/searches/", {"name": "空", "query": "page=2"})
    assert SavedSearch.objects.count() == 2

    logged(client, colleague)
    listing = client.get("/xiangxian/")
    assert [s.name for s in listing.context["saved"]] == ["江山寓外"]
    opened = client.get(f"/xiangxian/searches/{search.pk}/", follow=True)
    assert [p.name for p in opened.context["page"].object_list] == ["徐明远"]
    assert client.post(f"/xiangxian/searches/{search.pk}/delete/").status_code == 403
    mine = SavedSearch.objects.get(name="私人")
    assert client.get(f"/xiangxian/searches/{mine.pk}/").status_code == 404
    logged(client, staff)
    assert client.post(f"/xiangxian/searches/{search.pk}/delete/").status_code == 302
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["私人"]


def test_the_export_has_the_screened_rows_with_masked_numbers(client, doctors, staff):
    logged(client, staff)
    jiangshan = Region.objects.get(code="330881000000")
    response = client.get("/xiangxian/export/", {"hometown": jiangshan.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[0] == "姓名" and "手机号" in header
    assert sorted(r[0] for r in rows) == ["周雅琴", "徐明远"]
    phones = {r[0]: r[header.index("手机号")] for r in rows}
    assert phones["徐明远"] == "139****1111"
    assert client.get("/xiangxian/export/", {"away": "maybe"}).status_code == 400


# --- entering, editing, merging ---------------------------------------------------------------


def test_entering_a_person_shows_the_duplicates_first_then_enters_on_confirmation(
    client, person_data, make_person, staff
):
    existing = make_person(name="徐明远", phone="13900001111")
    logged(client, staff)
    data = {**person_data, "id_number": ""}
    first = client.post("/xiangxian/new/", data)
    assert first.status_code == 400
    assert f"/xiangxian/{existing.pk}/" in first.content.decode()
    assert Xiangxian.objects.count() == 1
    confirmed = client.post("/xiangxian/new/", {**data, "confirmed_new": "on"})
    assert confirmed.status_code == 302
    assert Xiangxian.objects.count() == 2


def test_a_bad_form_says_what_is_wrong_in_chinese_and_writes_nothing(client, person_data, staff):
    logged(client, staff)
    response = client.post("/xiangxian/new/", {**person_data, "phone": "123", "name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写" in page or "必填" in page or "这个字段是必填项" in page
    assert not Xiangxian.objects.exists()


def test_an_edit_from_a_stale_form_is_refused_with_409_and_nothing_lost(
    client, person_data, staff, colleague
):
    logged(client, staff)
    client.post("/xiangxian/new/", person_data)
    person = Xiangxian.objects.get()
    form = {**person_data, "version": person.version}
    logged(client, colleague)
    assert (
        client.post(f"/xiangxian/{person.pk}/edit/", {**form, "title": "院长"}).status_code == 302
    )
    logged(client, staff)
    stale = client.post(f"/xiangxian/{person.pk}/edit/", {**form, "honours": "院士"})
    assert stale.status_code == 409
    person.refresh_from_db()
    assert (person.title, person.honours) == ("院长", "")


def test_merging_from_the_page_and_undoing_it(client, make_person, staff):
    kept = make_person(name="徐明远", birth_year=1968)
    repeat = make_person(name="徐明远", birth_year=1968, title="主任医师")
    logged(client, staff)
    page = client.get(f"/xiangxian/{kept.pk}/").content.decode()
    assert 'data-testid="duplicates"' in page and f'value="{repeat.pk}"' in page
    assert client.post(f"/xiangxian/{kept.pk}/merge/", {"source": repeat.pk}).status_code == 302
    assert Xiangxian.objects.get(pk=repeat.pk).merged_into_id == kept.pk
    assert client.post(f"/xiangxian/{kept.pk}/merge/", {"source": "abc"}).status_code == 302
    assert client.post(f"/xiangxian/{kept.pk}/merge/", {"source": 10**9}).status_code == 404
    merge = XiangxianMerge.objects.get()
    assert client.post(f"/xiangxian/merges/{merge.pk}/undo/").status_code == 302
    assert Xiangxian.objects.get(pk=repeat.pk).merged_into_id is None
