"""The Content-Security-Policy in real headless Chromium (the attack tests of tests/security/,
here for the session's one Chromium): the main pages of every role load and
work (htmx actions, the enterprise picker, ECharts, the kiosk, Swagger UI, the admin) with no
policy violation — neither a ``securitypolicyviolation`` event nor a console message about the
policy — and no script from the XSS payload in an appeal's title ever runs (no dialog opens)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
    category,
)
from tests.security.report import report
from tests.security.world import PNG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def cast(transactional_db, settings, tmp_path):
    from django.contrib.contenttypes.models import ContentType

    from enterprises import services
    from enterprises.models import Screen
    from enterprises.reference import ensure_reference_data
    from enterprises.services import celebrations as celebration_services
    from enterprises.services import sessions as session_services

    settings.MEDIA_ROOT = tmp_path / "media"
    ContentType.objects.clear_cache()
    ensure_reference_data()
    department = DepartmentFactory(name="市经信局")
    people = {
        "dispatcher": UserFactory(role="dispatcher"),
        "leader": UserFactory(role="leader"),
        "admin": UserFactory(role="admin", is_staff=True, is_superuser=True),
        "handler": UserFactory(role="handler", department=department),
        "head": UserFactory(role="department_head", department=department),
        "entrepreneur": UserFactory(role="entrepreneur"),
    }
    enterprise = EnterpriseFactory(name="衢州浏览器测试有限公司")
    MembershipFactory(user=people["entrepreneur"], enterprise=enterprise, status="verified")
    people["entrepreneur"].enterprise = enterprise
    in_progress = appeal_in(
        "in_progress",
        entrepreneur=people["entrepreneur"],
        dispatcher=people["dispatcher"],
        handler=people["handler"],
        title=XSS,
    )
    closed = appeal_in(
        "closed",
        entrepreneur=people["entrepreneur"],
        dispatcher=people["dispatcher"],
        handler=people["handler"],
    )
    submitted = services.appeal_submit(
        actor=people["entrepreneur"],
        enterprise=enterprise,
        title="新提交的诉求",
        content=XSS,
        category=category(),
    )
    today = timezone.localdate()
    session = session_services.session_create(
        actor=people["dispatcher"],
        number=1,
        theme=XSS,
        held_on=today + dt.timedelta(days=3),
        venue="市民中心",
        hosts=[people["leader"]],
    )
    session_services.session_invite(
        session=session,
        actor=people["dispatcher"],
        user=people["entrepreneur"],
        enterprise=enterprise,
    )
    screen = Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心")
    celebration = celebration_services.celebration_request(
        actor=people["dispatcher"],
        enterprise=enterprise,
        kind="listing",
        screen_text="<script>alert(3)</script>祝贺",
        starts_on=today,
        ends_on=today,
        screens=[screen],
        image=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    )
    celebration_services.celebration_approve(celebration=celebration, actor=people["leader"])
    return {
        "people": people,
        "in_progress": in_progress,
        "closed": closed,
        "submitted": submitted,
        "session": session,
        "enterprise": enterprise,
        "screen": screen,
    }


class Watch:
    """Policy violations, console messages about the policy and dialogs, on one page."""

    def __init__(self, page):
        self.page, self.console, self.dialogs, self.errors = page, [], [], []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def violations(self, where: str) -> list[str]:
        seen = self.page.evaluate("window.__violations || []")
        found = [*seen, *self.console, *(f"dialog: {d}" for d in self.dialogs)]
        found += [f"script error: {e}" for e in self.errors]
        self.console.clear()
        self.dialogs.clear()
        self.errors.clear()
        return [f"{where}: {item}" for item in found]


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_pages_load_and_work_with_no_policy_violation(browser, live_server, cast, request):
    base = live_server.url
    appeal, submitted = cast["in_progress"], cast["submitted"]
    plan = {
        None: [
            "/accounts/login/",
            "/accounts/register/",
            f"/screens/{cast['screen'].slug}/",
            "/api/docs/",
        ],
        "entrepreneur": [
            "/",
            "/appeals/",
            f"/appeals/{appeal.pk}/",
            "/appeals/new/",
            f"/enterprises/sessions/{cast['session'].pk}/",
            f"/enterprises/{cast['enterprise'].pk}/",
            "/notifications/",
        ],
        "dispatcher": [
            "/",
            "/appeals/inbox/",
            f"/appeals/{submitted.pk}/",
            "/appeals/new/",
            "/enterprises/",
            f"/enterprises/sessions/{cast['session'].pk}/",
            "/enterprises/celebrations/",
            "/enterprises/memberships/",
        ],
        "handler": ["/", "/appeals/inbox/", f"/appeals/{appeal.pk}/"],
        "head": ["/", "/appeals/stats/", "/appeals/extensions/"],
        "leader": ["/", "/appeals/stats/", "/appeals/stats/report/", "/calendar/", "/regions/"],
        "admin": ["/", "/admin/", "/admin/portal/user/", "/admin/enterprises/appeal/"],
    }
    problems, visited = [], 0
    for role, paths in plan.items():
        context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        if role:
            sign_in(context, live_server, cast["people"][role])
        page = context.new_page()
        page.set_default_timeout(15_000)
        watch = Watch(page)
        for path in paths:
            watch.visit(base + path)
            visited += 1
            problems += watch.violations(f"{role or 'anonymous'} {path}")
            if path == "/api/docs/":
                page.wait_for_selector(".swagger-ui .info .title")
                problems += watch.violations("Swagger UI rendered")
            if path == "/appeals/stats/":
                page.wait_for_selector("#stats-data", state="attached")
                page.wait_for_selector("canvas")  # ECharts drew (no eval-based polling)
                with page.expect_navigation():
                    page.locator("[data-testid=rank-by]").select_option(index=1)
                page.wait_for_load_state("networkidle")
                assert "rank=" in page.url  # the select submits its form (portal.js)
                problems += watch.violations(f"{role} charts and ranking")
            if path == "/appeals/new/" and role == "dispatcher":
                picker = page.locator("input[role=combobox]").first
                picker.fill("浏览器")
                page.wait_for_selector(".enterprise-picker-results *", state="attached")
                problems += watch.violations("enterprise picker (htmx)")
            if path == "/appeals/new/" and role == "entrepreneur":
                page.locator("select[name=category]").select_option(index=1)
                page.wait_for_load_state("networkidle")
                problems += watch.violations("category guidance (htmx)")
            if path == f"/appeals/{submitted.pk}/" and role == "dispatcher":
                page.locator("[data-testid=submit-accept]").click()
                page.wait_for_load_state("networkidle")
                page.wait_for_selector("[data-testid=action-assign]")
                problems += watch.violations("accept (htmx) then the assign form")
        context.close()
    report(request.config, f"CSP in Chromium: {visited} pages with no violation")
    assert not problems, "\n".join(problems)
