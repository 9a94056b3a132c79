"""County staff (``county_staff`` grants) keep their county's part of the registry: owner (a
county's staff), colleague (another of the same county), outsider (staff of another county)."""

import pytest

from portal.models import Region, User
from portal.services import role_grant
from tests.factories import UserFactory
from xiangxian.models import Xiangxian

pytestmark = pytest.mark.django_db


def county_staff(code: str) -> User:
    user = UserFactory(role="county_staff")
    role_grant(user=user, role="county_staff", region=Region.objects.get(code=code), actor=None)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def jiangshan_staff():
    return county_staff("330881000000"), county_staff("330881000000")


@pytest.fixture
def outsider():
    return county_staff("330825000000")  # 龙游县


@pytest.fixture
def two_people(make_person, kecheng):
    return make_person(name="江山人"), make_person(name="柯城人", hometown=kecheng)


def test_the_list_and_pages_show_their_county_only(client, jiangshan_staff, outsider, two_people):
    home, elsewhere = two_people
    for user in jiangshan_staff:
        client.force_login(user)
        page = client.get("/xiangxian/").content.decode()
        assert "江山人" in page and "柯城人" not in page
        assert client.get(f"/xiangxian/{home.pk}/").status_code == 200
        assert client.get(f"/xiangxian/{elsewhere.pk}/").status_code == 404
    client.force_login(outsider)
    assert "江山人" not in client.get("/xiangxian/").content.decode()
    assert client.get(f"/xiangxian/{home.pk}/").status_code == 404


def test_they_enter_people_of_their_county_and_no_one_else(
    client, jiangshan_staff, person_data, kecheng
):
    owner, _colleague = jiangshan_staff
    client.force_login(owner)
    refused = client.post("/xiangxian/new/", {**person_data, "hometown": kecheng.pk})
    assert refused.status_code == 400
    assert "请选择本县（市、区）范围内的籍贯。" in refused.content.decode()
    assert not Xiangxian.objects.exists()
    entered = client.post("/xiangxian/new/", person_data)  # hometown 江山市
    assert entered.status_code == 302
    assert Xiangxian.objects.get().name == person_data["name"]


def test_they_cannot_move_a_person_out_of_their_county(
    client, jiangshan_staff, person_data, make_person, kecheng
):
    owner, _colleague = jiangshan_staff
    person = make_person(name=person_data["name"])
    client.force_login(owner)
    moved = client.post(
        f"/xiangxian/{person.pk}/edit/",
        {**person_data, "hometown": kecheng.pk, "version": person.version},
    )
    assert moved.status_code == 400
    person.refresh_from_db()
    assert person.hometown.code == "330881000000"


def test_they_see_numbers_masked_only(client, jiangshan_staff, make_person):
    person = make_person(name="江山人", phone="13900001111")
    client.force_login(jiangshan_staff[0])
    page = client.get(f"/xiangxian/{person.pk}/").content.decode()
    assert "13900001111" not in page and "139****1111" in page
    assert client.post(f"/xiangxian/{person.pk}/numbers/").status_code == 403


def test_the_api_counts_their_county_only(client, jiangshan_staff, two_people):
    client.force_login(jiangshan_staff[0])
    body = client.get("/api/v1/xiangxian/stats/").json()
    assert body["total"] == 1
    rows = client.get("/api/v1/xiangxian/").json()["results"]
    assert [row["name"] for row in rows] == ["江山人"]


def test_their_home_shows_their_county_figures(client, jiangshan_staff, two_people, make_person):
    make_person(name="江山名医", is_key=True)
    client.force_login(jiangshan_staff[0])
    response = client.get("/")
    assert response.status_code == 200
    panel = response.content.decode()
    assert 'data-testid="xiangxian-panel"' in panel and "江山市" in panel
    figures = response.context["xiangxian_home"]
    assert (figures["total"], figures["away"], figures["key"]) == (2, 2, 1)
    # Each figure links to the list behind it, which counts the same.
    listed = client.get("/xiangxian/", {"key": "on"}).content.decode()
    assert "江山名医" in listed and "江山人" not in listed


def test_outsiders_of_the_registry_have_no_panel(client, entrepreneur, two_people):
    client.force_login(entrepreneur)
    assert 'data-testid="xiangxian-panel"' not in client.get("/").content.decode()
