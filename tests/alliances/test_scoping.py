"""Who sees which alliance: the office city-wide; county staff alliances with a member village in
their county; a village's reporter the alliances of their village; nobody else anything."""

import pytest

from alliances import services
from alliances.models import (
    Activity,
    Alliance,
    Base,
    MakerTeam,
    Membership,
    TourismFigure,
    VillageCompany,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_alliance, office, places):
    """One alliance led by 双戴 (龙游) with a partner in 江西; one of 江山's villages alone."""
    ly = make_alliance("畲乡联盟", lead="shuangdai")
    services.membership_add(
        actor=office, alliance=ly, region=places["yushan_v"], joined_on="2022-01-01"
    )
    js = make_alliance("峡口联盟", lead="js_a")
    for alliance in (ly, js):
        services.maker_team_save(actor=office, alliance=alliance, data={"name": "团队"})
        services.activity_save(
            actor=office, alliance=alliance, data={"title": "活动", "held_on": "2023-01-01"}
        )
        services.tourism_figure_set(
            actor=office,
            alliance=alliance,
            data={"period": "2023", "visitors": 1, "consumption_yuan": 1},
        )
        services.company_save(
            actor=office,
            data={"name": "公司", "village": alliance.lead_village, "alliance": alliance.pk},
        )
    services.base_save(actor=office, data={"name": "无联盟基地", "village": places["js_b"]})
    return ly, js


def _names(model, user):
    return sorted(str(row) for row in model.objects.visible_to(user))


@pytest.mark.parametrize("role", ["dispatcher", "leader", "admin"])
def test_the_office_sees_everything(two, role):
    user = UserFactory(role=role)
    assert _names(Alliance, user) == ["峡口联盟", "畲乡联盟"]
    assert Base.objects.visible_to(user).count() == 1


def test_county_staff_see_their_countys_alliances(two, county_longyou, county_jiangshan):
    ly, js = two
    assert _names(Alliance, county_longyou) == ["畲乡联盟"]  # owner
    assert _names(Alliance, county_jiangshan) == ["峡口联盟"]  # the other county: outsider
    assert set(
        Membership.objects.visible_to(county_longyou).values_list("alliance", flat=True)
    ) == {ly.pk}
    for model in (MakerTeam, Activity, TourismFigure, VillageCompany):
        assert [r.alliance_id for r in model.objects.visible_to(county_longyou)] == [ly.pk]
    # a base of no alliance is seen by its village's county only
    assert Base.objects.visible_to(county_jiangshan).count() == 1
    assert Base.objects.visible_to(county_longyou).count() == 0


def test_a_colleague_of_the_same_county_sees_the_same(two, county_longyou, places):
    from portal.models import Region
    from portal.services.grants import role_grant

    colleague = UserFactory(role="county_staff")
    role_grant(
        user=colleague,
        role="county_staff",
        region=Region.objects.get(code="330825000000"),
        actor=None,
    )
    assert _names(Alliance, colleague) == _names(Alliance, county_longyou)


def test_village_reporters_see_their_villages_alliances(two, reporter, other_reporter, office):
    ly, js = two
    assert _names(Alliance, reporter) == ["畲乡联盟"]
    assert _names(Alliance, other_reporter) == ["峡口联盟"]
    # a village that left still sees the alliance's record of its time there
    services.membership_leave(actor=office, membership=js.memberships.get(), left_on="2023-12-31")
    assert _names(Alliance, other_reporter) == ["峡口联盟"]


@pytest.mark.parametrize("role", ["entrepreneur", "handler", "department_head"])
def test_others_see_nothing(two, role, department):
    user = UserFactory(role=role, department=department if role != "entrepreneur" else None)
    for model in (Alliance, Membership, MakerTeam, Activity, TourismFigure, VillageCompany, Base):
        assert not model.objects.visible_to(user).exists()
