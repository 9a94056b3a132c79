"""``seed_demo``'s dialogue sessions and light-up days: the reported figures (22 held, 197
entrepreneurs, 359 needs all closed) counted from real rows, a planned session inviting
entrepreneur1, the three screens and the first celebration."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from enterprises.models import (
    Appeal,
    AppealCounter,
    Celebration,
    DialogueSession,
    Membership,
    Screen,
    SessionInvitation,
)
from enterprises.selectors.sessions import session_appeal_counts, session_figures, sessions_for
from portal.models import Notification, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    return {u.username: u for u in User.objects.filter(username__in=["entrepreneur1", "leader"])}


def test_the_reported_figures_come_from_the_rows(demo, client):
    assert session_figures() == {
        "sessions_held": 22,
        "entrepreneurs_invited": 197,
        "appeals_collected": 359,
        "appeals_accepted": 359,
        "appeals_closed": 359,
        "closure_rate": 1.0,
    }
    held = list(DialogueSession.objects.held().order_by("number"))
    assert [s.number for s in held] == list(range(1, 23))
    assert all(s.status == "summarised" and s.minutes for s in held)
    assert held[-1].theme == '推进化工新材料"五链"深度融合'
    assert [s.held_on.year for s in held] == [2023] * 22
    # Per session: every need closed; the counts add up to the totals.
    counts = session_appeal_counts()
    assert sum(c["collected"] for c in counts.values()) == 359
    assert all(c["closed"] == c["collected"] and c["closure_rate"] == 1.0 for c in counts.values())
    assert set(counts) == {s.pk for s in held}

    # The page shows them, and they move with the rows (nothing typed in).
    client.force_login(demo["leader"])
    page = client.get("/enterprises/sessions/").content.decode()
    for figure in ("197", "359", "100.0%"):
        assert figure in page
    newcomer = User.objects.create(username="newcomer", role="entrepreneur")
    enterprise = Membership.objects.filter(status="verified").first().enterprise
    SessionInvitation.objects.create(session=held[4], user=newcomer, enterprise=enterprise)
    assert session_figures()["entrepreneurs_invited"] == 198


def test_the_session_appeals_went_through_the_whole_loop(demo):
    appeals = Appeal.objects.filter(session__isnull=False)
    assert appeals.count() == 359
    assert set(appeals.values_list("source", "status", "close_reason").distinct()) == {
        ("session", "closed", "rated")
    }
    assert not appeals.filter(session_instruction="").exists()
    numbers = sorted(appeals.values_list("number", flat=True))
    assert numbers[0] == "QH-2023-000001" and numbers[-1] == "QH-2023-000359"
    assert AppealCounter.objects.get(year=2023).last == 359
    timelines = {
        tuple(a.events.values_list("action", flat=True))
        for a in appeals.prefetch_related("events")[:40]
    }
    assert timelines == {("submit", "instruct", "accept", "assign", "sign", "reply", "rate")}
    for appeal in appeals.select_related("current_assignment", "enterprise")[:40]:
        assert appeal.current_assignment.department_id == appeal.lead_department_id
        assert appeal.replied_at.date() <= appeal.due_date
        # The enterprise raising it was at the session.
        assert SessionInvitation.objects.filter(
            session_id=appeal.session_id, enterprise=appeal.enterprise, answer="accepted"
        ).exists()
    # 197 guests, each a verified member of their enterprise.
    invited = User.objects.filter(session_invitations__session__status="summarised").distinct()
    assert invited.count() == 197
    assert not invited.exclude(memberships__status="verified").exists()
    per_session = DialogueSession.objects.held().annotate(n=Count("invitations"))
    assert min(s.n for s in per_session) >= 8


def test_entrepreneur1_is_invited_to_the_planned_session(demo, client):
    ent1 = demo["entrepreneur1"]
    planned = DialogueSession.objects.get(number=23)
    assert planned.status == "planned" and planned.held_on > dt.date(2026, 1, 1)
    assert planned.invitations.get(user=ent1).answer == "pending"
    assert (
        Notification.objects.filter(recipient=ent1, kind="enterprises.session_invited").count() == 1
    )
    assert list(sessions_for(ent1)) == [planned]
    client.force_login(ent1)
    assert (
        'data-testid="pending-invitation"' in client.get("/enterprises/sessions/").content.decode()
    )
    # entrepreneur1's appeals are still only those of its two enterprises.
    assert not Appeal.objects.visible_to(ent1).filter(session__isnull=False).exists()


def test_screens_and_the_first_celebration(demo, client):
    assert list(Screen.objects.values_list("location", flat=True)) == [
        "市行政中心",
        "衢州机场",
        "衢州西站",
    ]
    first = Celebration.objects.get(enterprise__name="一道新能源科技股份有限公司")
    assert (first.starts_on, first.ends_on, first.status) == (
        dt.date(2023, 7, 27),
        dt.date(2023, 7, 27),
        "approved",
    )
    assert first.screens.count() == 3 and first.decided_by is not None
    assert Celebration.objects.filter(status="requested").exists()  # one waits for a decision
    kiosk = client.get("/screens/city-hall/").content.decode()
    assert 'data-testid="kiosk-slide"' in kiosk  # something shows today


def test_a_second_run_adds_nothing(demo):
    models = (DialogueSession, SessionInvitation, Appeal, Celebration, Screen, User, Notification)
    before = {m: m.objects.count() for m in models}
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert {m: m.objects.count() for m in models} == before
    assert "Dialogue sessions: 0 new" in out.getvalue()
