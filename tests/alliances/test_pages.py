"""The alliances' pages: in Chinese, scoped, forms that answer bad input with a message."""

import pytest

from alliances import services
from alliances.models import Alliance, MakerTeam, Membership, TourismFigure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ginger(make_alliance, office, places):
    alliance = make_alliance("江村生姜联盟")
    services.membership_add(
        actor=office, alliance=alliance, region=places["js_b"], joined_on="2022-01-01"
    )
    return alliance


def signed_in(client, user):
    client.force_login(user)
    return client


def test_list_in_chinese_with_table_and_cards(client, office, ginger):
    html = signed_in(client, office).get("/alliances/").content.decode()
    assert "奔富联盟" in html and "江村生姜联盟" in html
    assert 'data-testid="alliance-table"' in html and 'data-testid="alliance-card"' in html
    assert "新增联盟" in html


def test_list_queries_stay_flat(client, office, make_alliance, django_assert_max_num_queries):
    for n in range(8):
        make_alliance(f"联盟{n}")
    signed_in(client, office)
    with django_assert_max_num_queries(12):
        assert client.get("/alliances/").status_code == 200


@pytest.mark.parametrize("role", ["entrepreneur", "handler"])
def test_outsiders_get_403_and_404(client, ginger, role, department):
    user = UserFactory(role=role, department=department if role == "handler" else None)
    signed_in(client, user)
    assert client.get("/alliances/").status_code == 403
    assert client.get("/alliances/coverage/").status_code == 403
    assert client.get(f"/alliances/{ginger.pk}/").status_code == 404


def test_leader_reads_but_does_not_edit(client, ginger):
    signed_in(client, UserFactory(role="leader"))
    html = client.get(f"/alliances/{ginger.pk}/").content.decode()
    assert "枫石村" in html and "登记退出" not in html
    assert client.get(f"/alliances/{ginger.pk}/edit/").status_code == 403
    assert client.get("/alliances/new/").status_code == 403


def test_reporter_of_another_village_gets_404(client, ginger, other_reporter, reporter):
    assert signed_in(client, other_reporter).get(f"/alliances/{ginger.pk}/").status_code == 404
    assert signed_in(client, reporter).get(f"/alliances/{ginger.pk}/").status_code == 200


def test_create_and_edit_with_a_stale_version(client, office, places):
    signed_in(client, office)
    assert client.get("/alliances/new/").status_code == 200
    form = {
        "name": "举村乡民宿联盟",
        "kinds": ["industry"],
        "founded_on": "2021-05-01",
        "lead_village": places["js_a"].pk,
        "status": "active",
        "description": "",
    }
    response = client.post("/alliances/new/", form)
    assert response.status_code == 302, response.content.decode()
    alliance = Alliance.objects.get()
    assert client.get(f"/alliances/{alliance.pk}/edit/").status_code == 200
    ok = client.post(
        f"/alliances/{alliance.pk}/edit/", {**form, "description": "七村", "version": 1}
    )
    assert ok.status_code == 302
    stale = client.post(
        f"/alliances/{alliance.pk}/edit/", {**form, "description": "旧的", "version": 1}
    )
    assert stale.status_code == 409
    assert "刷新" in stale.content.decode()


def test_create_bad_input_is_a_message(client, office):
    signed_in(client, office)
    response = client.post("/alliances/new/", {"name": "", "founded_on": "2021-02-30"})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()


def test_members_join_and_leave(client, office, ginger, places):
    signed_in(client, office)
    added = client.post(
        f"/alliances/{ginger.pk}/members/",
        {"region": places["yushan_v"].code, "role": "partner", "joined_on": "2022-01-01"},
    )
    assert added.status_code == 302
    again = client.post(
        f"/alliances/{ginger.pk}/members/",
        {"region": places["yushan_v"].code, "role": "partner", "joined_on": "2022-01-01"},
    )
    assert again.status_code == 400 and "已是该联盟成员" in again.content.decode()
    bad = client.post(
        f"/alliances/{ginger.pk}/members/",
        {"region": "330825206000", "role": "member", "joined_on": "2022-01-01"},
    )
    assert bad.status_code == 400 and "不是村" in bad.content.decode()
    member = Membership.objects.get(region=places["yushan_v"])
    early = client.post(f"/alliances/members/{member.pk}/leave/", {"left_on": "2021-01-01"})
    assert early.status_code == 302
    member.refresh_from_db()
    assert member.left_on is None
    client.post(f"/alliances/members/{member.pk}/leave/", {"left_on": "2022-12-31"})
    member.refresh_from_db()
    assert str(member.left_on) == "2022-12-31"
    assert (
        client.post(f"/alliances/members/{member.pk}/leave/", {"left_on": "x"}).status_code == 302
    )


def test_records_added_on_the_page(client, office, ginger, places):
    signed_in(client, office)
    assert (
        client.post(
            f"/alliances/{ginger.pk}/maker-teams/",
            {
                "team-name": "畲绣",
                "team-members_count": 5,
                "team-projects_landed": 1,
                "team-jobs_created": 10,
                "team-benefit_yuan": "500000",
            },
        ).status_code
        == 302
    )
    assert MakerTeam.objects.get().members_count == 5
    assert (
        client.post(
            f"/alliances/{ginger.pk}/tourism/",
            {"tourism-period": "2023H1", "tourism-visitors": 27000, "tourism-consumption_yuan": 1},
        ).status_code
        == 302
    )
    assert TourismFigure.objects.get().period == "2023H1"
    bad = client.post(
        f"/alliances/{ginger.pk}/tourism/",
        {"tourism-period": "2023H3", "tourism-visitors": 1, "tourism-consumption_yuan": 1},
    )
    assert bad.status_code == 400 and "半年度" in bad.content.decode()
    for url, data in (
        ("companies", {"company-name": "强村公司", "company-village": places["js_b"].code}),
        ("bases", {"base-name": "基地", "base-village": places["js_b"].code}),
        (
            "activities",
            {
                "activity-title": "三月三",
                "activity-kind": "festival",
                "activity-held_on": "2023-04-22",
            },
        ),
    ):
        assert client.post(f"/alliances/{ginger.pk}/{url}/", data).status_code == 302
    html = client.get(f"/alliances/{ginger.pk}/").content.decode()
    assert "三月三" in html and "强村公司" in html and "2023H1" in html


def test_coverage_page(client, office, ginger):
    signed_in(client, office)
    html = client.get("/alliances/coverage/?on=2023-01-01").content.decode()
    assert "联盟覆盖情况" in html and "沐尘畲族乡" in html and "双戴村" in html
    assert 'data-key="villages">2<' in html
    bad = client.get("/alliances/coverage/?on=2023-02-30")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()


def test_coverage_and_detail_queries_stay_flat(
    client, office, make_alliance, places, django_assert_max_num_queries
):
    signed_in(client, office)
    for n in range(6):
        alliance = make_alliance(f"联盟{n}", lead="js_a" if n % 2 else "shuangdai")
        for key in ("muchen_v", "js_b", "yushan_v"):
            services.membership_add(
                actor=office, alliance=alliance, region=places[key], joined_on="2022-01-01"
            )
    with django_assert_max_num_queries(12):
        assert client.get("/alliances/coverage/?on=2023-01-01").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/alliances/{alliance.pk}/").status_code == 200
