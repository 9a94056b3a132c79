"""The archive's pages: entering a person (bad input answered with messages), editing without
losing a colleague's edit, education and growth records, a batch from entry to approval, the
handover form; and lists with a fixed number of queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nonparty import services
from nonparty.models import Batch, Education, Liaison, Person, Proposal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def office(client, people):
    client.force_login(people["dispatcher"])
    return client


def person_form(jiangshan, **changes):
    data = {
        "name": "叶青",
        "gender": "female",
        "birth_date": "1994-03-08",
        "ethnicity": "汉族",
        "native_place": jiangshan.pk,
        "phone": "13905709999",
        "id_number": "",
        "employer": "衢州学院",
        "unit_type": "institution",
        "position": "教研室主任",
        "professional_title": "副教授",
        "field": "education",
        "cv": "",
        "status": "candidate",
    }
    return {**data, **changes}


def test_entering_a_person_with_a_photo(office, jiangshan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = person_form(jiangshan, photo_upload=SimpleUploadedFile("me.png", PNG, "image/png"))
    response = office.post(reverse("nonparty:create"), data)
    assert response.status_code == 302
    person = Person.objects.get(name="叶青")
    assert person.photo and person.phone == "13905709999"
    photo = office.get(reverse("nonparty:photo", args=[person.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_bad_input_is_answered_with_messages(office, jiangshan, make_person):
    make_person(name="已有", phone="13905709999")
    data = person_form(
        jiangshan,
        birth_date="不是日期",
        id_number="123",
        photo_upload=SimpleUploadedFile("me.png", b"<html>", "image/png"),
    )
    response = office.post(reverse("nonparty:create"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"birth_date", "id_number"}
    data = person_form(jiangshan)
    response = office.post(reverse("nonparty:create"), data)
    assert response.status_code == 400
    assert "phone" in response.context["form"].errors  # the same mobile number is one person
    data = person_form(
        jiangshan,
        phone="13905708888",
        photo_upload=SimpleUploadedFile("me.png", b"<html>", "image/png"),
    )
    response = office.post(reverse("nonparty:create"), data)
    assert response.status_code == 400
    assert "photo_upload" in response.context["form"].errors


def test_an_edit_over_a_colleagues_is_refused(office, jiangshan, make_person, people):
    person = make_person(name="原名")
    url = reverse("nonparty:edit", args=[person.pk])
    services.person_update(
        person=person, actor=people["admin"], data={"position": "主任"}, version=1
    )
    response = office.post(url, person_form(jiangshan, name="新名", version=1))
    assert response.status_code == 409
    assert Person.objects.get(pk=person.pk).name == "原名"
    response = office.post(url, person_form(jiangshan, name="新名", version=2))
    assert response.status_code == 302
    assert Person.objects.get(pk=person.pk).name == "新名"


def test_education_and_a_proposal_appear_on_the_person_page(office, make_person, uni, people):
    person = make_person()
    url = reverse("nonparty:education-add", args=[person.pk])
    response = office.post(
        url, {"degree": "master", "full_time": "on", "university": uni["复旦大学"].pk}
    )
    assert response.status_code == 302 and Education.objects.filter(person=person).count() == 1
    assert office.post(url, {"degree": "nonsense"}).status_code == 400
    dept = people["dispatcher"].department
    from tests.factories import DepartmentFactory

    dept = DepartmentFactory(name="市发改委（测试）")
    url = reverse("nonparty:growth-add", args=[person.pk, "proposal"])
    response = office.post(
        url,
        {
            "title": "关于数字经济的建议",
            "year": 2025,
            "channel": "suggestion",
            "dated_on": "2025-03-01",
            "adopted": "on",
            "adopting_department": dept.pk,
        },
    )
    assert response.status_code == 302
    assert Proposal.objects.get().adopting_department == dept
    page = office.get(reverse("nonparty:detail", args=[person.pk])).content.decode()
    assert "关于数字经济的建议" in page and "复旦大学" in page
    # A department without adoption is refused, with a message.
    response = office.post(
        url,
        {
            "title": "未采纳",
            "year": 2025,
            "channel": "proposal",
            "dated_on": "2025-03-01",
            "adopting_department": dept.pk,
        },
    )
    assert response.status_code == 400
    assert office.get(reverse("nonparty:growth-add", args=[person.pk, "nope"])).status_code == 404


def test_a_cadre_records_growth_for_own_people_on_the_page(client, people, make_person):
    person = make_person()
    Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=dt.date(2025, 1, 1))
    client.force_login(people["cadre"])
    url = reverse("nonparty:growth-add", args=[person.pk, "action"])
    response = client.post(
        url, {"action": "voice", "title": "孔府儒学堂宣讲", "dated_on": "2025-04-01"}
    )
    assert response.status_code == 302
    page = client.get(reverse("nonparty:detail", args=[person.pk])).content.decode()
    assert "孔府儒学堂宣讲" in page
    assert client.get(reverse("nonparty:edit", args=[person.pk])).status_code == 403


def test_a_batch_from_entry_to_approval(office, make_person, educate):
    a = make_person(name="甲", birth_date=dt.date(1995, 1, 1))
    educate(a, "master", "复旦大学")
    b = make_person(name="乙", birth_date=dt.date(1997, 1, 1))
    educate(b, "bachelor", "衢州学院")
    response = office.post(
        reverse("nonparty:batch-create"),
        {"name": "测试批", "recognised_on": "2025-06-18", "approving_body": "部务会"},
    )
    batch = Batch.objects.get(name="测试批")
    assert response.status_code == 302
    assert office.post(reverse("nonparty:batch-create"), {"name": ""}).status_code == 400
    office.post(reverse("nonparty:batch-add-people", args=[batch.pk]), {"people": [a.pk, b.pk]})
    assert batch.memberships.count() == 2
    page = office.get(reverse("nonparty:batch-detail", args=[batch.pk])).content.decode()
    assert "50.0%" in page
    office.post(reverse("nonparty:batch-approve", args=[batch.pk]), {"version": 2})
    batch.refresh_from_db()
    assert batch.frozen and batch.profile["average_age"] == 29.0


def test_the_handover_form(office, people, make_person):
    person = make_person()
    Liaison.objects.create(cadre=people["cadre"], person=person, starts_on=dt.date(2025, 1, 1))
    url = reverse("nonparty:handover")
    assert office.get(url).status_code == 200
    response = office.post(
        url,
        {"from_cadre": people["colleague"].pk, "to_cadre": people["cadre"].pk, "on": "2025-09-01"},
    )
    assert response.status_code == 400  # the colleague has nobody
    response = office.post(
        url,
        {"from_cadre": people["cadre"].pk, "to_cadre": people["colleague"].pk, "on": "2025-09-01"},
    )
    assert response.status_code == 302
    assert Liaison.objects.current().get(person=person).cadre == people["colleague"]


@pytest.mark.parametrize("name", ["nonparty:list", "nonparty:coverage"])
def test_lists_keep_their_number_of_queries(
    office, make_person, educate, people, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert office.get(reverse(name)).status_code == 200
        return len(captured)

    for i in range(3):
        educate(make_person(name=f"少{i}", status="recognised"), "master", "复旦大学")
    few = count()
    for i in range(25):
        educate(make_person(name=f"多{i}", status="recognised"), "bachelor", "衢州学院")
    assert count() == few


def test_a_persons_page_keeps_its_number_of_queries(office, make_person, educate, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nonparty.models import Award, Training

    person = make_person(status="recognised")
    url = reverse("nonparty:detail", args=[person.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).status_code == 200
        return len(captured)

    educate(person, "master", "复旦大学")
    Training.objects.create(person=person, dated_on=dt.date(2025, 1, 1), course="班", days=3)
    few = count()
    for i in range(10):
        educate(person, "bachelor", "衢州学院")
        Training.objects.create(
            person=person,
            dated_on=dt.date(2025, 1, 2),
            course=f"班{i}",
            days=3,
            recorded_by=people["dispatcher"],
        )
        Award.objects.create(person=person, dated_on=dt.date(2025, 2, 2), title=f"奖{i}")
    assert count() == few
