"""``seed_demo``: a lived-in portal for every demo account, written by the real services."""

import datetime as dt
import io
import zoneinfo
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from enterprises.demo import ENTERPRISES, SCENARIOS
from enterprises.models import (
    Appeal,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    Extension,
    InfoRequest,
    Membership,
    RepeatCandidate,
    Status,
)
from enterprises.selectors.appeals import (
    department_inbox,
    dispatcher_inbox,
    due_state,
    pending_extensions_for,
)
from portal.models import Notification, User
from portal.validators import validate_uscc

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
QUZHOU_COUNTIES = ("330802", "330803", "330822", "330824", "330825", "330881")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    seed()
    return {u.username: u for u in User.objects.all()}


def test_every_status_and_every_situation_of_the_loop(demo):
    # The scenarios (the dialogue sessions' historical appeals are tested in test_sessions_demo).
    appeals = list(Appeal.objects.filter(session__isnull=True))
    assert len(appeals) == len(SCENARIOS)
    assert {a.status for a in appeals} == set(Status.values)
    in_progress = [a for a in appeals if a.status == Status.IN_PROGRESS]
    assert any(a.awaiting_info for a in in_progress)
    assert InfoRequest.objects.filter(ended_at__isnull=True, appeal__awaiting_info=True).exists()
    assert Extension.objects.filter(
        status=Extension.Decision.PENDING, appeal__status=Status.IN_PROGRESS
    ).exists()
    assert Extension.objects.filter(status=Extension.Decision.APPROVED).exists()
    assert any(a.extended for a in in_progress)
    co = CoHandling.objects.filter(appeal__status=Status.IN_PROGRESS)
    assert co.filter(submitted_at__isnull=False).exists()  # a part already given
    assert co.filter(submitted_at__isnull=True).exists()  # and one still owed
    assert any(a.is_supervised for a in appeals)
    assert any(a.rehandle_count and a.status == Status.IN_PROGRESS for a in appeals)
    closed = [a for a in appeals if a.status == Status.CLOSED]
    assert {a.close_reason for a in closed} == {"rated", "auto", "merged"}
    assert any(a.rating == "satisfied" for a in closed)
    assert any(a.rehandle_count and a.close_reason == "rated" for a in closed)
    assert any(a.callback_rating for a in closed)
    merged = next(a for a in closed if a.close_reason == "merged")
    assert merged.merged_into.enterprise_id == merged.enterprise_id
    assert Assignment.objects.filter(is_dispute=True, returned_at__isnull=False).count() >= 2
    states = [due_state(a) for a in appeals]
    assert states.count("overdue") >= 2
    assert states.count("due_soon") >= 2
    assert {a.source for a in appeals} == {"platform", "hotline", "visit", "session"}


def test_timelines_are_real_and_in_the_past(demo):
    now = timezone.now()
    for appeal in Appeal.objects.prefetch_related("events"):
        events = list(appeal.events.all())
        assert events[0].action == AppealEvent.Action.SUBMIT
        assert events[0].at == appeal.submitted_at
        for before, after in zip(events, events[1:], strict=False):
            assert before.at <= after.at
            assert after.from_status == before.to_status
        assert events[-1].to_status == appeal.status
        assert all(e.at <= now for e in events)
        assert appeal.updated_at <= now
    # Ages are realistic: the oldest demo appeal is weeks old, numbers rise with time.
    appeals = list(Appeal.objects.order_by("number"))
    assert now - appeals[0].submitted_at > dt.timedelta(days=30)
    assert [a.submitted_at for a in appeals] == sorted(a.submitted_at for a in appeals)
    # Notifications were written by the services, with the times of their steps.
    assert Notification.objects.filter(created_at__lt=now - dt.timedelta(days=20)).exists()
    assert Notification.objects.filter(read_at__isnull=True).exists()


def test_repeat_candidate_waits_in_the_dispatchers_inbox(demo):
    inbox = list(dispatcher_inbox(demo["dispatcher"]))
    assert len(inbox) >= 4
    assert any(a.repeat_candidates.all() for a in inbox)
    assert RepeatCandidate.objects.count() >= 2


def test_enterprises_of_the_industry_chains_with_valid_codes(demo):
    assert Enterprise.objects.filter(name__in=[e.name for e in ENTERPRISES]).count() == len(
        ENTERPRISES
    )
    chains = set()
    for enterprise in Enterprise.objects.select_related("region", "industry_chain"):
        validate_uscc(enterprise.uscc)
        assert enterprise.region.code[:6] in QUZHOU_COUNTIES
        assert enterprise.size
        chains.add(enterprise.industry_chain.name)
    assert {"化工新材料", "新能源", "高端装备", "特种纸", "数字经济"} <= chains


def test_each_account_sees_a_lived_in_portal_in_its_scope(demo):
    total = Appeal.objects.count()
    for username in ("dispatcher", "leader", "admin"):
        assert Appeal.objects.visible_to(demo[username]).count() == total

    for username, department in (("handler1", "jxj"), ("handler2", "zrzyj"), ("depthead1", "jxj")):
        user = demo[username]
        assert user.department.code == department
        visible = Appeal.objects.visible_to(user)
        assert visible.count() >= 5
        for appeal in visible:
            assert (
                appeal.lead_department_id == user.department_id
                or CoHandling.objects.filter(
                    assignment_id=appeal.current_assignment_id, department_id=user.department_id
                ).exists()
            )
        assert department_inbox(user).count() >= 4
    # handler1's department co-handles an appeal another department leads.
    assert Appeal.objects.visible_to(demo["handler1"]).exclude(
        lead_department=demo["handler1"].department
    )
    assert pending_extensions_for(demo["depthead1"]).count() >= 1

    for username, expected in (("entrepreneur1", {"hx", "xh"}), ("entrepreneur2", {"ly"})):
        user = demo[username]
        own = set(
            Membership.objects.filter(user=user, status="verified").values_list(
                "enterprise_id", flat=True
            )
        )
        assert len(own) == len(expected)
        visible = Appeal.objects.visible_to(user)
        assert visible.count() >= 5
        assert set(visible.values_list("enterprise_id", flat=True)) == own
        assert Appeal.objects.exclude(enterprise_id__in=own).exists()
    # Something waits for each entrepreneur: a question, or an answer to rate.
    assert Appeal.objects.visible_to(demo["entrepreneur1"]).filter(awaiting_info=True).exists()
    assert Appeal.objects.visible_to(demo["entrepreneur2"]).filter(status="replied").exists()
    assert not Appeal.objects.visible_to(demo["applicant"]).exists()


def test_county_and_village_accounts_hold_their_scoped_grants(demo):
    from portal.models import Region, RoleGrant

    county1 = demo["county1"]
    assert county1.role == "county_staff"
    assert [g.region.code for g in RoleGrant.objects.filter(user=county1)] == ["330881000000"]
    visible = Appeal.objects.visible_to(county1)
    assert visible.exists()
    assert set(visible.values_list("enterprise__region__code", flat=True)) == {"330881000000"}
    assert Appeal.objects.exclude(pk__in=visible.values("pk")).exists()

    village1 = demo["village1"]
    grant = RoleGrant.objects.get(user=village1)
    assert (grant.role, grant.region.level) == ("village_reporter", Region.Level.VILLAGE)
    assert grant.region.parent.name == "沐尘畲族乡"
    assert not Appeal.objects.visible_to(village1).exists()
    seed()
    assert RoleGrant.objects.filter(user__in=[county1, village1]).count() == 2


def test_a_second_run_creates_nothing(demo):
    models = (
        Appeal,
        AppealEvent,
        Assignment,
        Enterprise,
        Extension,
        Membership,
        Notification,
        User,
    )
    before = {m: m.objects.count() for m in models}
    unread = Notification.objects.filter(read_at__isnull=True).count()
    assert "0 new appeals" in seed()
    assert {m: m.objects.count() for m in models} == before
    assert Notification.objects.filter(read_at__isnull=True).count() == unread
    assert User.objects.get(username="handler1").check_password("tongxin-demo")


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 28, 15, 0, tzinfo=SHANGHAI),  # a Saturday afternoon
        dt.datetime(2026, 11, 30, 7, 30, tzinfo=SHANGHAI),  # Monday before office hours
        dt.datetime(2026, 11, 30, 9, 5, tzinfo=SHANGHAI),  # Monday, just after office hours began
    ],
)
def test_any_time_of_the_week_gives_the_same_demo(db, moment):
    now = moment
    with mock.patch("django.utils.timezone.now", new=lambda: now):
        seed()
        appeals = list(Appeal.objects.all())
        assert {a.status for a in appeals} == set(Status.values)
        assert all(e.at <= now for e in AppealEvent.objects.all())
        states = [due_state(a) for a in appeals]
        assert states.count("overdue") >= 2
        assert states.count("due_soon") >= 2
