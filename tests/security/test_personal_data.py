"""Mobile numbers are never shown in full where a role may not see them: in no page any role
reaches by links, no API answer, no Excel export, no notification and no log line. They show
masked (138****5678) in lists; in full only through the audited "show the number" button of a
verifier and the administrator's user form (audited too), which are not lists."""

import io
import logging

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from enterprises import services
from enterprises.models import Membership
from portal.masking import mask_mobile
from portal.models import AuditLog, Notification, User
from tests.factories import PASSWORD, uscc_for
from tests.security.crawl import crawl
from tests.security.test_access_matrix import API

pytestmark = pytest.mark.django_db

API_LISTS = [
    "/api/v1/me/",
    "/api/v1/appeals/",
    "/api/v1/sessions/",
    "/api/v1/notifications/",
    "/api/v1/departments/",
    "/api/v1/screens/",
    "/api/v1/appeal-categories/",
]
EXPORTS = ["/appeals/export/", "/appeals/stats/export/", "/imports/template/enterprises.directory/"]


def mobiles() -> dict[str, str]:
    """Every full mobile number in the database → its masked form."""
    return {u.mobile: mask_mobile(u.mobile) for u in User.objects.all() if u.mobile}


def _found(text: str, numbers) -> list[str]:
    return [number for number in numbers if number in text]


def _xlsx_text(raw: bytes) -> str:
    workbook = load_workbook(io.BytesIO(raw), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def test_no_page_api_answer_export_or_notification_shows_a_number_in_full(world, report_cases):
    numbers = mobiles()
    assert len(numbers) >= 8
    sessions = [world.extra["session1"].get_absolute_url(), world.extra["session2"].pk]
    extra = [
        "/enterprises/memberships/?status=verified",
        f"/enterprises/{world.extra['a'].pk}/",
        f"/enterprises/{world.extra['b'].pk}/",
        sessions[0],
        f"/enterprises/sessions/{sessions[1]}/",
    ]
    leaks, masked_seen, checked = [], set(), 0
    for person, user in world.people.items():
        client = Client()
        client.force_login(user)
        pages = crawl(client, extra)
        for url, html in pages.items():
            if person == "admin" and url.startswith("/admin/"):
                continue  # the administrator's user form is an audited full view
            leaks += [f"{url} as {person}: {n}" for n in _found(html, numbers)]
            masked_seen.update(m for m in numbers.values() if m in html)
        checked += len(pages)
        token = Token.objects.get_or_create(user=user)[0].key
        for url in API_LISTS:
            body = client.get(url, HTTP_AUTHORIZATION=f"Token {token}").content.decode()
            leaks += [f"{url} as {person}: {n}" for n in _found(body, numbers)]
            checked += 1
        for url in EXPORTS:
            response = client.get(url)
            if response.status_code == 200:
                raw = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                leaks += [f"{url} as {person}: {n}" for n in _found(_xlsx_text(raw), numbers)]
                checked += 1
    for notification in Notification.objects.all():
        text = f"{notification.title} {notification.body} {notification.url}"
        leaks += [f"notification {notification.pk}: {n}" for n in _found(text, numbers)]
    report_cases(f"personal data: {checked} pages, API answers and exports searched")

    assert not leaks, "mobile numbers in full:\n" + "\n".join(leaks)
    # The masked form is what lists show (the verifiers' list, the enterprise's members).
    assert masked_seen, "no masked number seen: the check above may be looking at nothing"
    assert set(API) >= {"api:me", "api:appeal-list"}  # API_LISTS follows the matrix's names


def test_only_verifiers_see_a_number_in_full_and_it_is_audited(world):
    pending = Membership.objects.get(user=world.people["pending"])
    url = f"/enterprises/memberships/{pending.pk}/mobile/"
    full = world.people["pending"].mobile
    for person in ("entrepreneur", "pending", "handler", "head", "leader"):
        client = Client()
        client.force_login(world.people[person])
        response = client.post(url)
        assert response.status_code in (403, 404), person
        assert full not in response.content.decode()
    assert not AuditLog.objects.filter(action="view_personal").exists()

    client = Client()
    client.force_login(world.people["dispatcher"])
    response = client.post(url)
    assert full in response.content.decode()
    entry = AuditLog.objects.get(action="view_personal")
    assert entry.actor == world.people["dispatcher"]
    assert full not in str(entry.__dict__)


def test_no_log_line_carries_a_number_in_full(db, caplog, dispatcher, clock):
    """A whole flow with logging at DEBUG: registrations (page and API, one of them invalid),
    wrong passwords, a lock-out, verification, the audited reveal, notifications."""
    caplog.set_level(logging.DEBUG)
    numbers = ["13812345678", "13712345679", "13612345670"]

    Client().post(
        "/accounts/register/",
        {
            "username": "applicant-web",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": "网页申请人",
            "mobile": numbers[0],
            "uscc": uscc_for(901),
            "enterprise_name": "衢州网页申请有限公司",
        },
    )
    api = Client()
    api.post(
        "/api/v1/register/",
        {
            "username": "applicant-api",
            "password": PASSWORD,
            "name": "接口申请人",
            "mobile": numbers[1],
            "uscc": uscc_for(902),
            "enterprise_name": "衢州接口申请有限公司",
        },
        content_type="application/json",
    )
    api.post(  # refused: a bad code, with a good number in the same request
        "/api/v1/register/",
        {
            "username": "applicant-bad",
            "password": PASSWORD,
            "name": "错误",
            "mobile": numbers[2],
            "uscc": "123",
        },
        content_type="application/json",
    )
    for _ in range(6):
        Client().post("/accounts/login/", {"username": "applicant-web", "password": "wrong-pass"})
        api.post(
            "/api/v1/auth/token/",
            {"username": "applicant-api", "password": "wrong-pass"},
            content_type="application/json",
        )
    staff = Client()
    staff.force_login(dispatcher)
    for membership in Membership.objects.all():
        staff.post(f"/enterprises/memberships/{membership.pk}/mobile/")
        services.membership_verify(membership=membership, actor=dispatcher)
    staff.get("/enterprises/memberships/?status=verified")

    assert User.objects.filter(username__startswith="applicant-").count() == 2
    text = "\n".join(
        f"{r.name} {r.getMessage()} {r.args!r} {getattr(r, 'request', '')!r}"
        for r in caplog.records
    )
    assert caplog.records, "nothing was logged: the check would be empty"
    assert not _found(text, numbers), _found(text, numbers)
