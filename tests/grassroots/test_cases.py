"""Typical cases: the steps and every illegal one (409), who drafts, recommends and publishes,
published cases readable by every staff role (never an entrepreneur), drafts scoped to their
county (owner, colleague, outsider), people named through the portal's references, photos
checked and served through the scoped view, the search (PostgreSQL trigram), the index count."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.models import CASE_READERS, CaseStatus, TypicalCase
from grassroots.selectors import cases as selectors
from grassroots.services import cases as services
from portal.exceptions import Conflict
from portal.models import Role
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def draft(actor, region, title="新乡贤助力共享食堂", **extra):
    data = {
        "title": title,
        "domain": "township",
        "region": region,
        "summary": "乡贤捐资办起共享食堂。",
        "body": "在外乡贤捐资捐物，村集体补一点，老人出一点，每天为老人提供午餐。",
        "tags": "新乡贤，养老",
        **extra,
    }
    return services.case_create(actor=actor, data=data)


@pytest.fixture
def cases(people, jiangshan, kecheng, units):
    own = draft(people["county"], jiangshan, units=[units["own"]])
    other = draft(
        people["other_county"],
        kecheng,
        title="15分钟社区统战服务圈",
        summary="步行15分钟找到统战服务。",
        body="社区统战工作站联动楼宇和商圈，新乡贤参与同心议事。",
    )
    published = draft(
        people["county"],
        jiangshan,
        title="1241基层统战服务巴士",
        summary="统战服务巴士开进村社。",
        body="政策宣讲、义诊和助企服务，乡贤随车，午餐自理。",
    )
    services.case_step(actor=people["county"], case=published, step="recommend")
    published = services.case_step(actor=people["dispatcher"], case=published, step="publish")
    return {"own": own, "other": other, "published": published}


def test_tags_and_county_are_derived(cases, jiangshan):
    assert cases["own"].tags == ["新乡贤", "养老"]
    assert cases["own"].county == jiangshan


def test_the_steps_and_every_illegal_one(people, cases):
    case, county, office = cases["own"], people["county"], people["dispatcher"]
    # From draft: publishing skips a step.
    with pytest.raises(Conflict):
        services.case_step(actor=office, case=case, step="publish")
    case = services.case_step(actor=county, case=case, step="recommend")
    assert case.status == CaseStatus.RECOMMENDED and case.recommended_at
    # From recommended: recommending again.
    with pytest.raises(Conflict):
        services.case_step(actor=county, case=case, step="recommend")
    # County staff never publish.
    with pytest.raises(PermissionDenied):
        services.case_step(actor=county, case=case, step="publish")
    case = services.case_step(actor=office, case=case, step="publish")
    assert case.status == CaseStatus.PUBLISHED and case.published_by == office
    # From published: nothing.
    for step in ("recommend", "publish"):
        with pytest.raises(Conflict):
            services.case_step(actor=office, case=case, step=step)
    with pytest.raises(ValidationError):
        services.case_step(actor=office, case=case, step="unpublish")


def test_who_drafts_and_recommends(people, jiangshan, kecheng, cases):
    with pytest.raises(ValidationError) as info:
        draft(people["county"], kecheng)
    assert "region" in info.value.message_dict
    for who in ("leader", "lead", "entrepreneur"):
        with pytest.raises(PermissionDenied):
            draft(people[who], jiangshan)
    with pytest.raises(PermissionDenied):
        services.case_step(actor=people["other_county"], case=cases["own"], step="recommend")
    assert draft(people["admin"], kecheng, title="园区亲清茶叙").status == CaseStatus.DRAFT


def test_api_steps_answer_409_for_every_illegal_step(people, cases):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])
    own = cases["own"].pk
    url = "/api/v1/grassroots/cases/{}/{}/"
    assert api.post(url.format(own, "publish")).status_code == 409
    api.force_authenticate(people["county"])
    assert api.post(url.format(own, "recommend")).json()["status"] == "recommended"
    assert api.post(url.format(own, "recommend")).status_code == 409
    assert api.post(url.format(own, "publish")).status_code == 403
    api.force_authenticate(people["other_county"])
    assert api.post(url.format(own, "recommend")).status_code == 404
    api.force_authenticate(people["dispatcher"])
    assert api.post(url.format(own, "publish")).json()["status"] == "published"
    assert api.post(url.format(own, "publish")).status_code == 409
    assert api.post(url.format(own, "recommend")).status_code == 409


def test_page_step_conflict_is_a_clear_message(people, cases):
    client = Client()
    client.force_login(people["dispatcher"])
    url = reverse("grassroots:case-action", args=[cases["own"].pk, "publish"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert TypicalCase.objects.get(pk=cases["own"].pk).status == CaseStatus.DRAFT
    assert "alert" in response.text


@pytest.mark.parametrize("role", CASE_READERS)
def test_published_cases_are_read_by_every_staff_role(cases, role):
    department = DepartmentFactory() if role in ("handler", "department_head") else None
    user = UserFactory(role=role, department=department)
    seen = set(TypicalCase.objects.visible_to(user).values_list("pk", flat=True))
    assert cases["published"].pk in seen
    client = Client()
    client.force_login(user)
    assert client.get(reverse("grassroots:case-list")).status_code == 200
    page = client.get(reverse("grassroots:case-detail", args=[cases["published"].pk]))
    assert page.status_code == 200 and "1241基层统战服务巴士" in page.text


def test_every_staff_role_is_a_reader():
    assert set(CASE_READERS) == set(Role.values) - {Role.ENTREPRENEUR}


def test_an_entrepreneur_reads_no_case(people, cases):
    client = Client()
    client.force_login(people["entrepreneur"])
    assert client.get(reverse("grassroots:case-list")).status_code == 403
    page = client.get(reverse("grassroots:case-detail", args=[cases["published"].pk]))
    assert page.status_code == 404
    api = APIClient()
    api.force_authenticate(people["entrepreneur"])
    assert api.get("/api/v1/grassroots/cases/").status_code == 403
    assert api.get(f"/api/v1/grassroots/cases/{cases['published'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("county", {"own", "published"}),  # the owner's county
        ("other_county", {"other", "published"}),  # a colleague elsewhere
        ("lead", {"published"}),  # an outsider to drafts
        ("dispatcher", {"own", "other", "published"}),
        ("leader", {"own", "other", "published"}),
        ("entrepreneur", set()),
    ],
)
def test_drafts_are_their_county_and_the_office_s(people, cases, who, expected):
    seen = set(TypicalCase.objects.visible_to(people[who]).values_list("pk", flat=True))
    assert seen == {cases[name].pk for name in expected}


def test_county_staff_edit_until_published(people, cases, jiangshan):
    own = cases["own"]
    assert services.can_edit_case(people["county"], own)
    assert not services.can_edit_case(people["other_county"], own)
    assert not services.can_edit_case(people["county"], cases["published"])
    updated = services.case_update(
        actor=people["county"],
        case=own,
        version=own.version,
        data={
            "title": "新乡贤助力共享食堂（修订）",
            "domain": "township",
            "region": jiangshan,
            "summary": "s",
            "body": "b",
        },
    )
    assert updated.version == 2
    with pytest.raises(Conflict):
        services.case_update(
            actor=people["dispatcher"],
            case=own,
            version=1,
            data={
                "title": "t",
                "domain": "township",
                "region": jiangshan,
                "summary": "s",
                "body": "b",
            },
        )


# --- people through the portal's references ----------------------------------------------------


@pytest.fixture
def a_xiangxian(people, jiangshan):
    from xiangxian import services as xiangxian_services
    from xiangxian.models import Sector

    return xiangxian_services.xiangxian_create(
        actor=people["dispatcher"],
        data={
            "name": "徐乡贤",
            "hometown": jiangshan.pk,
            "sector": Sector.objects.get(name="医卫").pk,
            "residence_province": "上海市",
            "residence_city": "上海市",
        },
    )


def test_people_are_named_by_reference_and_resolved_through_portal(people, jiangshan, a_xiangxian):
    case = draft(people["county"], jiangshan, people=[("xiangxian.person", a_xiangxian.pk)])
    rows = selectors.people_of(case)
    assert rows == [
        {
            "kind": "xiangxian.person",
            "kind_label": rows[0]["kind_label"],
            "id": a_xiangxian.pk,
            "label": "徐乡贤",
            "url": reverse("xiangxian:detail", args=[a_xiangxian.pk]),
        }
    ]
    with pytest.raises(ValidationError) as info:
        draft(people["county"], jiangshan, people=[("xiangxian.person", 999999)])
    assert "999999" in " ".join(info.value.message_dict["people"])
    with pytest.raises(ValidationError) as info:
        draft(people["county"], jiangshan, people=[("alliances.village", 1)])
    assert "alliances.village" in " ".join(info.value.message_dict["people"])
    api = APIClient()
    api.force_authenticate(people["county"])
    body = {
        "title": "至少请一贤",
        "domain": "township",
        "region": "330881000000",
        "summary": "每村至少请一贤。",
        "body": "正文",
        "tags": ["新乡贤"],
        "people": [{"kind": "nonparty.person", "id": 424242}],
    }
    refused = api.post("/api/v1/grassroots/cases/", body, format="json")
    assert refused.status_code == 400
    assert "424242" in " ".join(refused.json()["people"])
    created = api.post(
        "/api/v1/grassroots/cases/",
        {**body, "people": [{"kind": "xiangxian.person", "id": a_xiangxian.pk}]},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["people"][0]["label"] == "徐乡贤"
    assert TypicalCase.objects.filter(title="至少请一贤").count() == 1


# --- photos ---------------------------------------------------------------------------------


def test_photos_are_checked_and_served_only_in_scope(people, jiangshan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        services.case_create(
            actor=people["county"],
            data={
                "title": "t",
                "domain": "township",
                "region": jiangshan,
                "summary": "s",
                "body": "b",
            },
            photos=[SimpleUploadedFile("fake.png", b"<html>not a png</html>")],
        )
    assert not TypicalCase.objects.exists()
    case = services.case_create(
        actor=people["county"],
        data={"title": "t", "domain": "township", "region": jiangshan, "summary": "s", "body": "b"},
        photos=[SimpleUploadedFile("食堂.png", PNG, content_type="image/png")],
    )
    photo = case.photos.get()
    url = reverse("grassroots:case-photo", args=[case.pk, photo.pk])
    client = Client()
    client.force_login(people["county"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(people["other_county"])  # a draft of another county
    assert client.get(url).status_code == 404
    client.force_login(people["entrepreneur"])
    assert client.get(url).status_code == 404


# --- search ---------------------------------------------------------------------------------


def test_search_in_chinese_and_domain_filter(people, cases):
    api = APIClient()
    api.force_authenticate(people["dispatcher"])

    def titles(**params):
        rows = api.get("/api/v1/grassroots/cases/", params).json()["results"]
        return sorted(row["title"] for row in rows)

    assert titles(q="服务") == ["1241基层统战服务巴士", "15分钟社区统战服务圈"]
    assert titles(q="共享食堂") == ["新乡贤助力共享食堂"]
    # Every word must be found: both are only in the bus's and the canteen's texts.
    assert titles(q="午餐 乡贤") == [
        "1241基层统战服务巴士",
        "新乡贤助力共享食堂",
    ]
    assert titles(q="不存在的词") == []
    assert titles(domain="park") == []
    assert api.get("/api/v1/grassroots/cases/", {"domain": "moon"}).status_code == 400
    row = api.get("/api/v1/grassroots/cases/", {"q": "食堂"}).json()["results"][0]
    assert set(row) == {"id", "title", "domain", "region", "status", "summary", "tags"}
    client = Client()
    client.force_login(people["lead"])
    page = client.get(reverse("grassroots:case-list"), {"q": "巴士"})
    assert page.status_code == 200 and page.text.count('data-testid="case-card"') == 1


def test_search_uses_trigram_indexes_on_postgresql(postgres, people, cases):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'grassroots_typicalcase'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"grassroots_case_title_trgm", "grassroots_case_body_trgm"} <= names
    found = selectors.cases_for(people["dispatcher"], selectors.CaseFilters(q="统战服务"))
    assert sorted(c.title for c in found) == ["1241基层统战服务巴士", "15分钟社区统战服务圈"]


# --- the index's count -----------------------------------------------------------------------


def test_published_case_count_per_unit(people, cases, units):
    published = cases["published"]
    published.units.set([units["own"], units["colleague"]])
    own = cases["own"]  # a draft: not counted
    own.units.set([units["own"]])
    today = timezone.localdate()
    counts = selectors.published_case_count(
        [units["own"].pk, units["colleague"].pk, units["kecheng"].pk], today, today
    )
    assert counts == {units["own"].pk: 1, units["colleague"].pk: 1}
    last_year = today - dt.timedelta(days=400)
    assert selectors.published_case_count([units["own"].pk], last_year, last_year) == {}
