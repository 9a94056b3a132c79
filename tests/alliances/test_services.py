"""Writes of the alliances: checked input, audit rows, optimistic concurrency, who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliances import services
from alliances.models import Alliance, Membership, TourismFigure
from portal.exceptions import Conflict
from portal.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _data(places, **extra):
    return {
        "name": "举村乡民宿联盟",
        "founded_on": "2021-05-01",
        "lead_village": places["js_a"].code,
        "kinds": ["industry", "culture"],
        "description": "七村抱团发展民宿",
        **extra,
    }


def test_create_audits_and_makes_the_lead_village_a_member(office, places):
    alliance = services.alliance_create(actor=office, data=_data(places))
    assert alliance.kind_values == ["culture", "industry"]
    assert alliance.version == 1
    (lead,) = alliance.memberships.all()
    assert (lead.region, lead.role, lead.joined_on) == (places["js_a"], "lead", dt.date(2021, 5, 1))
    log = AuditLog.objects.get(target_type="alliances.alliance", target_id=str(alliance.pk))
    assert log.action == "create" and "kinds" in log.fields and log.actor == office


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"name": " "}, "name"),
        ({"founded_on": "2021-13-01"}, "founded_on"),
        ({"lead_village": "330881101000"}, "lead_village"),  # a township
        ({"lead_village": "999999999999"}, "lead_village"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["industry", "sports"]}, "kinds"),
        ({"status": "gone"}, "status"),
    ],
)
def test_bad_input_is_a_message_on_its_field(office, places, extra, field):
    with pytest.raises(ValidationError) as caught:
        services.alliance_create(actor=office, data=_data(places, **extra))
    assert field in caught.value.message_dict
    assert not Alliance.objects.exists()


def test_names_are_unique(office, places):
    services.alliance_create(actor=office, data=_data(places))
    with pytest.raises(ValidationError, match="已有同名联盟"):
        services.alliance_create(actor=office, data=_data(places))


@pytest.mark.parametrize("role", ["leader", "county_staff", "village_reporter", "entrepreneur"])
def test_only_the_office_writes(places, role):
    with pytest.raises(PermissionDenied):
        services.alliance_create(actor=UserFactory(role=role), data=_data(places))


def test_update_with_an_old_version_is_a_conflict(office, places):
    alliance = services.alliance_create(actor=office, data=_data(places))
    changed = services.alliance_update(
        actor=office,
        alliance=alliance,
        data=_data(places, description="新简介", kinds=["talent"]),
        version=1,
    )
    assert changed.version == 2 and changed.kind_values == ["talent"]
    log = AuditLog.objects.filter(action="update").get()
    assert sorted(log.fields) == ["description", "kinds"]
    with pytest.raises(Conflict):
        services.alliance_update(
            actor=office, alliance=alliance, data=_data(places, name="别名"), version=1
        )
    assert Alliance.objects.get().name == "举村乡民宿联盟"


def test_unchanged_update_keeps_the_version(office, places):
    alliance = services.alliance_create(actor=office, data=_data(places))
    same = services.alliance_update(actor=office, alliance=alliance, data=_data(places), version=1)
    assert same.version == 1


def test_members_join_leave_and_rejoin(office, places, make_alliance):
    alliance = make_alliance()
    member = services.membership_add(
        actor=office,
        alliance=alliance,
        region=places["yushan_v"].code,
        joined_on="2022-01-01",
        role="partner",
    )
    with pytest.raises(ValidationError, match="已是该联盟成员"):
        services.membership_add(
            actor=office, alliance=alliance, region=places["yushan_v"], joined_on="2022-02-01"
        )
    with pytest.raises(ValidationError, match="退出日期不能早于加入日期"):
        services.membership_leave(actor=office, membership=member, left_on="2021-12-31")
    services.membership_leave(actor=office, membership=member, left_on="2022-06-30")
    with pytest.raises(Conflict):
        services.membership_leave(actor=office, membership=member, left_on="2022-07-01")
    services.membership_add(
        actor=office, alliance=alliance, region=places["yushan_v"], joined_on="2023-01-01"
    )
    assert Membership.objects.filter(region=places["yushan_v"]).count() == 2


def test_a_township_cannot_be_a_member(office, places, make_alliance):
    with pytest.raises(ValidationError, match="不是村"):
        services.membership_add(
            actor=office, alliance=make_alliance(), region=places["muchen"], joined_on="2022-01-01"
        )


def test_records_companies_bases_teams_activities(office, places, make_alliance):
    alliance = make_alliance()
    company = services.company_save(
        actor=office,
        data={"name": "双戴强村公司", "village": places["shuangdai"].code, "alliance": alliance.pk},
    )
    with pytest.raises(ValidationError, match="该村已有同名记录"):
        services.company_save(
            actor=office, data={"name": "双戴强村公司", "village": places["shuangdai"]}
        )
    services.company_save(
        actor=office,
        company=company,
        data={"name": "双戴强村公司", "village": places["shuangdai"], "kind": "农业"},
    )
    company.refresh_from_db()
    assert company.kind == "农业" and company.alliance is None
    base = services.base_save(
        actor=office, data={"name": "生姜电商基地", "village": places["js_b"], "kind": "电商"}
    )
    assert base.pk
    team = services.maker_team_save(
        actor=office,
        alliance=alliance,
        data={"name": "畲绣", "members_count": "5", "jobs_created": 10, "benefit_yuan": "500000"},
    )
    assert team.projects_landed == 0 and team.benefit_yuan == 500000
    with pytest.raises(ValidationError) as caught:
        services.maker_team_save(
            actor=office, alliance=alliance, data={"name": "x", "members_count": "-1"}
        )
    assert "members_count" in caught.value.message_dict
    activity = services.activity_save(
        actor=office,
        alliance=alliance,
        data={"title": "三月三", "kind": "festival", "held_on": "2023-04-22", "participants": 800},
    )
    assert activity.get_kind_display()
    assert AuditLog.objects.filter(target_type="alliances.activity").count() == 1


def test_tourism_figures_one_per_period_changed_in_place(office, make_alliance):
    alliance = make_alliance()
    services.tourism_figure_set(
        actor=office,
        alliance=alliance,
        data={"period": "2023h1", "visitors": 27000, "consumption_yuan": "8400000"},
    )
    services.tourism_figure_set(
        actor=office,
        alliance=alliance,
        data={"period": "2023H1", "visitors": 27001, "consumption_yuan": "8400000"},
    )
    figure = TourismFigure.objects.get()
    assert (figure.period, figure.visitors) == ("2023H1", 27001)
    with pytest.raises(ValidationError) as caught:
        services.tourism_figure_set(
            actor=office, alliance=alliance, data={"period": "2023Q3", "visitors": "x"}
        )
    assert {"period", "visitors", "consumption_yuan"} <= set(caught.value.message_dict)
