"""The whole appeal loop in headless Chromium, each role through its own pages.

Entrepreneur submits → dispatcher accepts and assigns → handler signs and replies → entrepreneur
sends it back (dissatisfied) → handler replies again → entrepreneur rates satisfied → closed.
A screenshot of every step is kept under the browser tests' artefacts folder.
"""

import pytest
from django.utils import timezone

from portal.workdays import add_working_days
from tests.factories import PASSWORD, DepartmentFactory, EnterpriseFactory, MembershipFactory
from tests.factories import UserFactory as Users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast(transactional_db, settings, tmp_path):
    from enterprises.reference import ensure_reference_data
    from portal.workdays import sync_from_chinesecalendar

    settings.MEDIA_ROOT = tmp_path / "media"
    from django.contrib.contenttypes.models import ContentType

    # An earlier transactional test may have flushed the database under this process's caches.
    ContentType.objects.clear_cache()
    ensure_reference_data()
    sync_from_chinesecalendar()
    department = DepartmentFactory(name="衢州市经济和信息化局", code="jxj-browser")
    enterprise = EnterpriseFactory(name="衢州华星新材料有限公司")
    boss = Users(username="boss", name="徐志强", role="entrepreneur")
    MembershipFactory(user=boss, enterprise=enterprise, status="verified")
    return {
        "boss": boss,
        "dispatcher": Users(username="desk", name="王晓燕", role="dispatcher"),
        "handler": Users(username="clerk", name="李建国", role="handler", department=department),
        "department": department,
        "enterprise": enterprise,
    }


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=home-heading]")


def htmx_ready(page) -> None:
    """The page's scripts have run: htmx drives its fields (they load at the end of the body)."""
    page.wait_for_function("window.htmx !== undefined && window.tongxinAppeals === true")


def status_of(page) -> str:
    return page.get_attribute(
        "[data-testid=appeal-header] [data-testid=status-badge]", "data-status"
    )


def test_the_whole_loop(page, live_server, cast, screenshot, tmp_path):
    from enterprises.models import Appeal

    # 1. The entrepreneur submits, reading the category's guidance on the way.
    log_in(page, live_server, "boss")
    screenshot("loop-01-entrepreneur-home")
    page.click("nav a[href='/appeals/new/']")
    page.wait_for_selector("[data-testid=appeal-form]")
    htmx_ready(page)
    page.select_option("#id_category", label="融资信贷")
    page.wait_for_selector("[data-testid=category-guidance][data-category]")  # htmx fragment
    page.fill("#id_title", "流动资金贷款续贷审批缓慢")
    page.fill("#id_content", "我司500万元流动资金贷款下月到期，\n续贷审批迟迟没有进展，请协调。")
    attachment = tmp_path / "贷款合同.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("#id_files", str(attachment))
    screenshot("loop-02-entrepreneur-new-appeal")
    page.click("[data-testid=submit-appeal]")
    page.wait_for_selector("[data-testid=appeal-header]")
    appeal = Appeal.objects.get()
    assert page.url == f"{live_server.url}/appeals/{appeal.pk}/"
    assert status_of(page) == "submitted"
    assert "贷款合同.pdf" in page.inner_text("main")
    screenshot("loop-03-entrepreneur-submitted")

    # 2. The dispatcher accepts it from the inbox, then assigns it with a shorter deadline.
    log_in(page, live_server, "desk")
    page.click("nav a[href='/appeals/inbox/']")
    row = page.locator(f"[data-testid=inbox-row][data-appeal='{appeal.pk}']")
    screenshot("loop-04-dispatcher-inbox")
    row.locator("[data-testid=accept]").click()
    page.wait_for_selector(".alert-success")
    assert Appeal.objects.get().status == "accepted"
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    htmx_ready(page)
    panel = page.locator("#action-assign")
    panel.locator("#id_assign-department").select_option(label="衢州市经济和信息化局")
    due = add_working_days(timezone.localdate(), 5)
    panel.locator("#id_assign-due_at").fill(due.isoformat())
    page.wait_for_selector(f"#deadline-preview [data-date='{due.isoformat()}'][data-days='5']")
    screenshot("loop-05-dispatcher-assign")
    panel.locator("[data-testid=submit-assign]").click()
    page.wait_for_selector("[data-testid=appeal-header] [data-status=assigned]")
    assert Appeal.objects.get().due_date == due

    # 3. The handler signs for it in the department inbox and replies; an empty reply is refused
    #    next to the field without leaving the page.
    log_in(page, live_server, "clerk")
    page.click("nav a[href='/appeals/inbox/']")
    row = page.locator(f"[data-testid=inbox-row][data-appeal='{appeal.pk}']")
    screenshot("loop-06-handler-inbox")
    row.locator("[data-testid=sign]").click()
    page.wait_for_selector(".alert-success")
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    assert status_of(page) == "in_progress"
    htmx_ready(page)
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector("#action-reply .is-invalid")  # htmx swapped the panel, status 400
    assert page.url == f"{live_server.url}/appeals/{appeal.pk}/"
    screenshot("loop-07-handler-reply-error")
    page.fill("#id_reply-content", "已与银行沟通，续贷材料已受理，预计本周内完成审批。")
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector("[data-testid=appeal-header] [data-status=replied]")

    # 4. The entrepreneur is not satisfied and sends it back with a comment.
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    page.wait_for_selector("[data-testid=rate-prompt]")
    page.check("#action-rate input[value=dissatisfied]")
    page.fill("#id_rate-comment", "审批仍未完成，请继续跟进。")
    screenshot("loop-08-entrepreneur-sends-back")
    page.click("[data-testid=submit-rate]")
    page.wait_for_selector("[data-testid=appeal-header] [data-status=in_progress]")
    assert Appeal.objects.get().rehandle_count == 1

    # 5. The handler replies again.
    log_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    page.fill("#id_reply-content", "续贷已于今日放款，请查收。")
    page.click("[data-testid=submit-reply]")
    page.wait_for_selector("[data-testid=appeal-header] [data-status=replied]")

    # 6. The entrepreneur is satisfied: the appeal is closed, every step on the timeline.
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    page.check("#action-rate input[value=satisfied]")
    page.click("[data-testid=submit-rate]")
    page.wait_for_selector("[data-testid=appeal-header] [data-status=closed]")
    steps = page.locator("[data-testid=timeline-event]")
    actions = [steps.nth(i).get_attribute("data-action") for i in range(steps.count())]
    assert actions == ["submit", "accept", "assign", "sign", "reply", "rate", "reply", "rate"]
    assert not page.locator("[data-testid=actions] details").count()  # nothing left to do
    screenshot("loop-09-closed-timeline")
    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.rating) == ("closed", "satisfied")

    # The entrepreneur's list and home page show it closed.
    page.click("nav a[href='/appeals/']")
    row = page.locator(f"[data-testid=appeal-row][data-appeal='{appeal.pk}']")
    assert row.locator("[data-testid=status-badge]").get_attribute("data-status") == "closed"
    screenshot("loop-10-entrepreneur-list")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=appeal-panel]")
    screenshot("loop-11-entrepreneur-home")
