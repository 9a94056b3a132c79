"""A dialogue session in headless Chromium, each role through its own pages.

The dispatcher plans a session and invites an entrepreneur (searching the enterprise as they
type) → the entrepreneur sees the invitation and accepts it → the dispatcher marks the session
held and records a need raised there, with the host leader's instruction → it is an appeal of the
enterprise from the session, with the instruction on its timeline, and the entrepreneur follows
it. Screenshots of each step are kept under the browser tests' artefacts folder.
"""

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, EnterpriseFactory, MembershipFactory
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def cast(transactional_db):
    from django.contrib.contenttypes.models import ContentType

    from enterprises.reference import ensure_reference_data
    from portal.workdays import sync_from_chinesecalendar

    ContentType.objects.clear_cache()  # an earlier transactional test may have flushed the db
    ensure_reference_data()
    sync_from_chinesecalendar()
    enterprise = EnterpriseFactory(name="衢州华星氟硅新材料有限公司")
    boss = Users(username="boss", name="徐志强", role="entrepreneur")
    MembershipFactory(user=boss, enterprise=enterprise, status="verified")
    return {
        "boss": boss,
        "enterprise": enterprise,
        "dispatcher": Users(username="desk", name="王晓燕", role="dispatcher"),
        "leader": Users(username="chief", name="周书记", role="leader"),
    }


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def test_plan_invite_accept_and_record_a_need(page, live_server, cast, screenshot):
    from enterprises.models import Appeal, DialogueSession, SessionInvitation

    today = timezone.localdate()

    # 1. The dispatcher plans session No. 1 for today, hosted by the leader.
    log_in(page, live_server, "desk")
    page.click("nav a[href='/enterprises/sessions/']")
    page.click("[data-testid=session-new]")
    assert page.input_value("#id_number") == "1"
    page.fill("#id_theme", '推进化工新材料"五链"深度融合')
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_start_time", "14:30")
    page.fill("#id_venue", "衢州市民中心亲清会客厅")
    page.check("input[name=hosts]")
    page.fill("#id_agenda", "一、企业家代表发言\n二、部门现场回应\n三、市领导交办")
    screenshot("session-01-dispatcher-plans")
    page.click("[data-testid=save-session]")
    page.wait_for_selector("[data-testid=session-header]")
    session = DialogueSession.objects.get()
    assert page.url == f"{live_server.url}/enterprises/sessions/{session.pk}/"
    assert "周书记" in page.inner_text("[data-testid=session-hosts]")

    # 2. …and invites the entrepreneur, finding the enterprise by typing part of its name.
    page.wait_for_function("window.htmx !== undefined && window.tongxinEnterprisePicker === true")
    page.fill("#id_enterprise", "华星氟硅")
    page.click("[data-testid=enterprise-choice]")
    screenshot("session-02-dispatcher-invites")
    page.click("[data-testid=send-invitation]")
    page.wait_for_selector("[data-testid=invitation-row][data-answer=pending]")
    assert "徐志强" in page.inner_text("[data-testid=session-invitations]")

    # 3. The entrepreneur sees the invitation and accepts it.
    log_in(page, live_server, "boss")
    page.click("nav a[href='/enterprises/sessions/']")
    page.wait_for_selector("[data-testid=pending-invitation]")
    screenshot("session-03-entrepreneur-invited")
    page.click("[data-testid=pending-invitation] a")
    page.wait_for_selector("[data-testid=answer-form]")
    page.click("[data-testid=accept-invitation]")
    page.wait_for_selector("[data-testid=my-invitation][data-answer=accepted]")
    screenshot("session-04-entrepreneur-accepted")
    assert SessionInvitation.objects.get().answer == "accepted"

    # 4. The dispatcher marks the session held and records a need raised at it.
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/enterprises/sessions/{session.pk}/")
    page.wait_for_selector("[data-testid=invitation-row][data-answer=accepted]")
    page.click("[data-testid=session-hold]")
    page.wait_for_selector("[data-testid=session-status][data-status=held]")
    page.click("[data-testid=record-need]")
    page.wait_for_selector("[data-testid=need-form]")
    page.select_option("#id_enterprise", label="衢州华星氟硅新材料有限公司")
    page.select_option("#id_category", label="用地用房")
    page.fill("#id_title", "新增工业用地指标约30亩")
    page.fill("#id_content", "企业有机硅二期项目需新增工业用地约30亩，希望明确供地时序。")
    page.select_option("#id_leader", label="周书记")
    page.fill("#id_instruction", "请市自然资源规划局牵头研究，两周内向企业反馈供地方案。")
    screenshot("session-05-dispatcher-records-need")
    page.click("[data-testid=save-need]")
    page.wait_for_selector("[data-testid=session-appeal-row]")
    screenshot("session-06-session-with-appeal")
    appeal = Appeal.objects.get()
    assert (appeal.source, appeal.session_id, appeal.enterprise_id) == (
        "session",
        session.pk,
        cast["enterprise"].pk,
    )
    assert appeal.status == "submitted"
    assert "新增工业用地指标约30亩" in page.inner_text("[data-testid=session-appeals]")

    # 5. The appeal's timeline carries the instruction; the entrepreneur follows it.
    page.click(f"[data-testid=session-appeals] a[href='/appeals/{appeal.pk}/']")
    page.wait_for_selector("[data-testid=timeline-event][data-action=instruct]")
    assert "请市自然资源规划局牵头研究" in page.inner_text(
        "[data-testid=timeline-event][data-action=instruct]"
    )
    screenshot("session-07-appeal-timeline")
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/enterprises/sessions/{session.pk}/")
    row = page.locator("[data-testid=session-appeal-row]")
    assert row.get_attribute("data-full") == "true"
    assert "新增工业用地指标约30亩" in row.inner_text()
    screenshot("session-08-entrepreneur-follows")
