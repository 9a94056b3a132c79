"""The dialogue session pages for every role: who reaches what (owner, colleague, outsider),
each form's happy path and its refusals (a clear message, nothing changed), the cut-down view
of other enterprises' appeals, the Excel summary, and flat query counts."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from enterprises.models import Appeal, DialogueSession, SessionExpert, SessionInvitation
from enterprises.services import sessions as services
from tests.enterprises.sessions_setup import SESSION_DAY, build_cast, hold, member, record_need
from tests.factories import EnterpriseFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db, clock):
    return build_cast()


def url(name: str, cast, *extra) -> str:
    from django.urls import reverse

    return reverse(f"enterprises:{name}", args=[cast.session.pk, *extra])


def as_user(client, user):
    client.force_login(user)
    return client


# --- who reaches what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "list_status", "detail_status"),
    [
        ("dispatcher", 200, 200),
        ("leader", 200, 200),
        ("admin", 200, 200),
        ("owner", 200, 200),  # invited
        ("guest", 200, 200),  # invited, of another enterprise
        ("colleague", 200, 404),  # same enterprise, not invited
        ("outsider", 200, 404),
        ("handler", 403, 404),
    ],
)
def test_who_reaches_the_list_and_the_session(client, cast, who, list_status, detail_status):
    as_user(client, getattr(cast, who))
    listing = client.get("/enterprises/sessions/")
    assert listing.status_code == list_status
    if list_status == 200:
        shown = 'data-number="1"' in listing.content.decode()
        assert shown == (detail_status == 200)
    assert client.get(url("session-detail", cast)).status_code == detail_status


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    for path in (
        "/enterprises/sessions/",
        url("session-detail", cast),
        url("session-export", cast),
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("dispatcher", 200), ("admin", 200), ("leader", 403), ("owner", 403), ("handler", 403)],
)
def test_only_dispatchers_reach_the_planning_forms(client, cast, who, status):
    as_user(client, getattr(cast, who))
    assert client.get("/enterprises/sessions/new/").status_code == status
    edit = client.get(url("session-edit", cast)).status_code
    assert edit == (404 if who == "handler" else status)


@pytest.mark.parametrize(
    ("who", "status"),
    [("dispatcher", 200), ("leader", 200), ("owner", 403), ("guest", 403), ("outsider", 404)],
)
def test_the_excel_summary_is_for_staff(client, cast, who, status):
    as_user(client, getattr(cast, who))
    assert client.get(url("session-export", cast)).status_code == status


# --- planning and inviting ----------------------------------------------------------------------


def test_planning_a_session(client, cast):
    as_user(client, cast.dispatcher)
    form = client.get("/enterprises/sessions/new/")
    assert 'value="2"' in form.content.decode()  # the next number is proposed
    response = client.post(
        "/enterprises/sessions/new/",
        {
            "number": 2,
            "theme": "数字经济赋能实体经济",
            "held_on": "2026-11-19",
            "start_time": "14:30",
            "venue": "市行政中心",
            "hosts": [cast.leader.pk],
            "agenda": "议程",
        },
    )
    session = DialogueSession.objects.get(number=2)
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert list(session.hosts.all()) == [cast.leader]


def test_a_bad_plan_is_shown_again_with_messages_and_nothing_saved(client, cast):
    as_user(client, cast.dispatcher)
    response = client.post(
        "/enterprises/sessions/new/",
        {"number": 1, "theme": "重复的期数", "held_on": "2026-11-19", "venue": "会议室"},
    )
    assert response.status_code == 400
    assert "期已存在" in response.content.decode()
    response = client.post("/enterprises/sessions/new/", {"number": "x", "held_on": "soon"})
    assert response.status_code == 400
    assert DialogueSession.objects.count() == 1


def test_inviting_picks_the_only_member_or_asks_which(client, cast):
    as_user(client, cast.dispatcher)
    single = EnterpriseFactory(name="单人企业")
    boss = member(single, name="单老板")
    response = client.post(url("session-invite", cast), {"enterprise": single.pk})
    assert response.status_code == 302
    assert SessionInvitation.objects.filter(session=cast.session, user=boss).exists()

    # Enterprise a has two members (owner is already invited): the form asks which one.
    response = client.post(url("session-invite", cast), {"enterprise": cast.a.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "该企业有多名关联用户" in page and "徐同事" in page
    response = client.post(
        url("session-invite", cast), {"enterprise": cast.a.pk, "user": cast.colleague.pk}
    )
    assert response.status_code == 302
    assert cast.session.invitations.filter(user=cast.colleague).exists()

    nobody = EnterpriseFactory(name="无人企业")
    response = client.post(url("session-invite", cast), {"enterprise": nobody.pk})
    assert (
        response.status_code == 400
        and "该企业没有可邀请的已认证关联用户" in response.content.decode()
    )
    # A member of another enterprise cannot be slipped in under this one.
    response = client.post(
        url("session-invite", cast), {"enterprise": single.pk, "user": cast.outsider.pk}
    )
    assert response.status_code == 400
    assert cast.session.invitations.count() == 4


def test_entrepreneurs_cannot_invite(client, cast):
    as_user(client, cast.owner)
    response = client.post(
        url("session-invite", cast), {"enterprise": cast.a.pk, "user": cast.colleague.pk}
    )
    assert response.status_code == 403
    as_user(client, cast.outsider)
    assert client.post(url("session-invite", cast), {"enterprise": cast.b.pk}).status_code == 404
    assert cast.session.invitations.count() == 2


def test_the_invited_entrepreneur_sees_and_answers_the_invitation(client, cast):
    as_user(client, cast.owner)
    listing = client.get("/enterprises/sessions/").content.decode()
    assert 'data-testid="pending-invitation"' in listing
    page = client.get(url("session-detail", cast)).content.decode()
    assert 'data-answer="pending"' in page and 'data-testid="answer-form"' in page
    response = client.post(url("session-answer", cast), {"answer": "accepted"})
    assert response.status_code == 302
    assert SessionInvitation.objects.get(user=cast.owner).answer == "accepted"
    assert (
        'data-testid="pending-invitation"'
        not in client.get("/enterprises/sessions/").content.decode()
    )

    bad = client.post(url("session-answer", cast), {"answer": "perhaps"})
    assert bad.status_code == 400
    assert SessionInvitation.objects.get(user=cast.owner).answer == "accepted"
    # Someone not invited cannot answer (the session is not theirs to see).
    as_user(client, cast.colleague)
    assert client.post(url("session-answer", cast), {"answer": "accepted"}).status_code == 404


def test_experts_are_added_and_removed_on_the_page(client, cast):
    as_user(client, cast.dispatcher)
    response = client.post(
        url("session-expert-add", cast), {"name": "沈晓梅", "organisation": "衢州学院"}
    )
    assert response.status_code == 302
    expert = SessionExpert.objects.get()
    assert client.post(url("session-expert-add", cast), {"name": ""}).status_code == 400
    as_user(client, cast.owner)
    assert client.post(url("session-expert-remove", cast, expert.pk)).status_code == 403
    as_user(client, cast.dispatcher)
    assert client.post(url("session-expert-remove", cast, expert.pk)).status_code == 302
    assert not SessionExpert.objects.exists()


# --- holding, needs, minutes ---------------------------------------------------------------------


def test_holding_too_early_warns_and_changes_nothing(client, cast, clock):
    as_user(client, cast.dispatcher)
    response = client.post(url("session-hold", cast), follow=True)
    assert "2026-11-05" in response.content.decode()
    assert DialogueSession.objects.get().status == "planned"
    clock.set(SESSION_DAY, 15)
    as_user(client, cast.dispatcher)  # the clock jumped days ahead: a fresh login
    client.post(url("session-hold", cast))
    assert DialogueSession.objects.get().status == "held"


def test_recording_a_need_on_the_page(client, cast, clock):
    as_user(client, cast.dispatcher)
    assert client.get(url("session-need-new", cast)).status_code == 302  # not held yet
    hold(cast, clock)
    as_user(client, cast.dispatcher)  # the clock jumped days ahead: a fresh login
    form = client.get(url("session-need-new", cast)).content.decode()
    assert cast.a.name in form and cast.b.name not in form  # only invited enterprises
    data = {
        "enterprise": cast.a.pk,
        "category": category().pk,
        "title": "流动资金贷款续贷",
        "content": "请协调银行续贷。",
        "leader": cast.leader.pk,
        "instruction": "",
    }
    response = client.post(url("session-need-new", cast), data)
    assert response.status_code == 400 and not Appeal.objects.exists()
    data["instruction"] = "请市金融办牵头，两周内反馈。"
    response = client.post(url("session-need-new", cast), data)
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.session, appeal.source) == (cast.session, "session")
    as_user(client, cast.owner)
    assert client.get(url("session-need-new", cast)).status_code == 403


def test_writing_the_minutes(client, cast, clock):
    hold(cast, clock)
    as_user(client, cast.dispatcher)
    assert client.post(url("session-summarise", cast), {"minutes": ""}).status_code == 400
    response = client.post(url("session-summarise", cast), {"minutes": "会议纪要：收集诉求两项。"})
    assert response.status_code == 302
    assert DialogueSession.objects.get().status == "summarised"
    page = client.get(url("session-detail", cast)).content.decode()
    assert "会议纪要：收集诉求两项。" in page
    as_user(client, cast.owner)  # the minutes are the organisers'
    assert "会议纪要" not in client.get(url("session-detail", cast)).content.decode()


# --- what a participant sees of other enterprises' needs ---------------------------------------


def test_a_participant_sees_other_enterprises_needs_only_by_their_progress(client, cast, clock):
    hold(cast, clock)
    own = record_need(
        cast,
        cast.a,
        title="我方用地指标",
        content="我方需要三十亩。",
        instruction="请自然资源局研究我方用地。",
    )
    other = record_need(
        cast,
        cast.c,
        title="同桌贷款秘密",
        content="同桌企业资金链紧张。",
        instruction="请金融办关注同桌资金。",
    )

    as_user(client, cast.owner)
    page = client.get(url("session-detail", cast)).content.decode()
    assert own.title in page and own.number in page and "请自然资源局研究我方用地。" in page
    for secret in (
        other.title,
        other.content,
        other.number,
        other.session_instruction,
        cast.c.name,
        "吴同桌",
    ):
        assert secret not in page
    assert page.count('data-testid="session-appeal-row"') == 2
    assert 'data-full="false"' in page and "融资信贷" in page

    as_user(client, cast.dispatcher)
    page = client.get(url("session-detail", cast)).content.decode()
    assert other.title in page and cast.c.name in page and "吴同桌" in page
    assert 'data-full="false"' not in page


# --- the Excel summary --------------------------------------------------------------------------


def test_the_one_page_summary_in_excel(client, cast, clock):
    services.session_add_expert(
        session=cast.session, actor=cast.dispatcher, name="林建平", organisation="浙大衢州研究院"
    )
    hold(cast, clock)
    record_need(cast, cast.a, title="流动资金贷款续贷", instruction="请金融办两周内反馈。")
    as_user(client, cast.leader)
    response = client.get(url("session-export", cast))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "session-1-summary.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "第1期"
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert '亲清半月谈第1期：推进化工新材料"五链"深度融合' in cells
    for header in (
        "时间",
        "地点",
        "主持领导",
        "特邀专家",
        "邀请企业家",
        "收集诉求",
        "办结率",
        "姓名",
        "企业",
        "回复",
        "编号",
        "诉求",
        "交办意见",
        "承办部门",
        "状态",
    ):
        assert header in cells, header
    assert "流动资金贷款续贷" in cells and "请金融办两周内反馈。" in cells
    assert "周书记" in cells and "徐志强" in cells
    assert sheet.page_setup.fitToHeight == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.orientation == "landscape"


# --- query counts --------------------------------------------------------------------------------


def count_queries(client, path: str) -> int:
    client.get(path)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


def grow_sessions(cast, count: int) -> None:
    start = DialogueSession.objects.count() + 1
    for number in range(start, start + count):
        session = services.session_create(
            actor=cast.dispatcher,
            number=number,
            theme=f"第{number}期主题",
            held_on=SESSION_DAY + dt.timedelta(days=14 * number),
            venue="会议室",
            hosts=[cast.leader],
        )
        services.session_invite(
            session=session, actor=cast.dispatcher, user=cast.owner, enterprise=cast.a
        )


def test_the_list_runs_a_fixed_number_of_queries(client, cast):
    grow_sessions(cast, 4)
    small = {
        who: count_queries(as_user(client, getattr(cast, who)), "/enterprises/sessions/")
        for who in ("dispatcher", "owner")
    }
    grow_sessions(cast, 45)
    large = {
        who: count_queries(as_user(client, getattr(cast, who)), "/enterprises/sessions/")
        for who in ("dispatcher", "owner")
    }
    assert small == large


def test_the_session_page_runs_a_fixed_number_of_queries(client, cast, clock):
    def grow(count: int) -> None:
        for _ in range(count):
            enterprise = EnterpriseFactory()
            boss = member(enterprise)
            services.session_invite(
                session=cast.session, actor=cast.dispatcher, user=boss, enterprise=enterprise
            )

    grow(3)
    hold(cast, clock)
    for n in range(5):
        record_need(cast, cast.a if n % 2 else cast.c, title=f"诉求{n}")
    small = {
        who: count_queries(as_user(client, getattr(cast, who)), url("session-detail", cast))
        for who in ("dispatcher", "owner")
    }
    DialogueSession.objects.filter(pk=cast.session.pk).update(status="planned", held_at=None)
    grow(45)
    DialogueSession.objects.filter(pk=cast.session.pk).update(status="held", held_at=clock.now)
    for n in range(45):
        record_need(cast, cast.a if n % 2 else cast.c, title=f"更多诉求{n}")
    large = {
        who: count_queries(as_user(client, getattr(cast, who)), url("session-detail", cast))
        for who in ("dispatcher", "owner")
    }
    assert small == large


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 403), ("guest", 403), ("leader", 403), ("colleague", 404), ("outsider", 404)],
)
def test_every_organiser_form_refuses_everyone_else(client, cast, clock, who, status):
    expert = services.session_add_expert(session=cast.session, actor=cast.dispatcher, name="专家")
    as_user(client, getattr(cast, who))
    posts = [
        (url("session-invite", cast), {"enterprise": cast.a.pk, "user": cast.colleague.pk}),
        (url("session-expert-add", cast), {"name": "新专家"}),
        (url("session-expert-remove", cast, expert.pk), {}),
        (url("session-hold", cast), {}),
        (url("session-edit", cast), {"number": 1, "theme": "改", "held_on": "2026-11-05"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == status, path
    hold(cast, clock)
    as_user(client, getattr(cast, who))
    for path, data in (
        (url("session-summarise", cast), {"minutes": "纪要"}),
        (url("session-need-new", cast), {"title": "越权诉求"}),
    ):
        assert client.post(path, data).status_code == status, path
    session = DialogueSession.objects.get()
    assert (session.status, session.theme, session.minutes) == ("held", cast.session.theme, "")
    assert session.invitations.count() == 2 and session.experts.count() == 1
    assert not Appeal.objects.exists()


def test_the_admin_reads_sessions_celebrations_and_edits_screens(client, cast, clock):
    hold(cast, clock)
    record_need(cast, cast.a, title="用地指标")
    client.force_login(cast.admin)
    for path in (
        "/admin/enterprises/dialoguesession/",
        f"/admin/enterprises/dialoguesession/{cast.session.pk}/change/",
        "/admin/enterprises/screen/",
        "/admin/enterprises/screen/add/",
        "/admin/enterprises/celebration/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/enterprises/dialoguesession/add/").status_code == 403
