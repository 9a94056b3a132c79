"""Every step of the appeal loop through ``POST /api/v1/appeals/{id}/<action>/`` (CONTRACT.md).

Each step answers 200 with the updated appeal in the detail shape. The checks come in a fixed
order — outside the caller's scope 404, wrong role 403, wrong status 409, bad input 400 — and a
refused request changes nothing.
"""

import datetime
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from enterprises import services
from enterprises.models import Appeal, AppealEvent, Attachment, Extension, InfoRequest
from portal.workdays import add_working_days
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
    category,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def head(handler):
    return UserFactory(role="department_head", department=handler.department)


@pytest.fixture
def stranger():
    """A verified member of another enterprise."""
    user = UserFactory(role="entrepreneur")
    user.enterprise = EnterpriseFactory()
    MembershipFactory(user=user, enterprise=user.enterprise, status="verified")
    return user


@pytest.fixture
def other_handler():
    return UserFactory(role="handler", department=DepartmentFactory())


@pytest.fixture
def at(entrepreneur, dispatcher, handler):
    """``at(status)``: an appeal of the entrepreneur's enterprise in that status."""

    def make(status: str, **kwargs) -> Appeal:
        return appeal_in(
            status, entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler, **kwargs
        )

    return make


def act(client, user, appeal, action: str, data=None, **extra):
    client.force_login(user)
    url = f"/api/v1/appeals/{appeal.pk}/{action}/"
    if extra.pop("multipart", False):
        return client.post(url, data or {}, **extra)
    return client.post(url, data or {}, content_type="application/json", **extra)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def snapshot(appeal) -> tuple:
    """What a refused request must leave untouched."""
    appeal.refresh_from_db()
    return (
        appeal.status,
        appeal.lead_department_id,
        appeal.due_date,
        appeal.awaiting_info,
        appeal.is_supervised,
        AppealEvent.objects.filter(appeal=appeal).count(),
    )


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def workdays_from_today(days: int) -> datetime.date:
    return add_working_days(timezone.localdate(), days)


# --- happy paths ---------------------------------------------------------------------------


def test_accept(client, dispatcher, at):
    appeal = at("submitted")

    body = ok(act(client, dispatcher, appeal, "accept", {"note": "属于受理范围"}))

    assert body["status"] == "accepted"
    assert body["accepted_at"]
    assert body["events"][-1]["action"] == "accept"
    assert body["events"][-1]["note"] == "属于受理范围"
    assert "assign" in body["actions"]


def test_reject(client, dispatcher, at):
    appeal = at("submitted")

    body = ok(act(client, dispatcher, appeal, "reject", {"reason": "属于司法程序，不予受理"}))

    assert body["status"] == "rejected"
    assert body["events"][-1]["note"] == "属于司法程序，不予受理"


def test_assign_with_co_departments_deadline_and_priority(client, dispatcher, handler, at):
    appeal = at("accepted")
    co_department = DepartmentFactory()
    due = workdays_from_today(5)
    co_due = workdays_from_today(3)

    body = ok(
        act(
            client,
            dispatcher,
            appeal,
            "assign",
            {
                "department": handler.department.pk,
                "co_departments": [co_department.pk],
                "due_at": due.isoformat(),
                "co_due_at": co_due.isoformat(),
                "priority": 1,
            },
        )
    )

    assert body["status"] == "assigned"
    assert body["department"] == {"id": handler.department.pk, "name": handler.department.name}
    assert body["due_at"] == due.isoformat()
    assert body["priority"] == 1
    assert body["co_departments"] == [
        {
            "id": co_department.pk,
            "name": co_department.name,
            "due_at": co_due.isoformat(),
            "submitted_at": None,
        }
    ]


def test_assign_defaults_to_the_categorys_limit(client, dispatcher, handler, at):
    appeal = at("accepted")

    body = ok(act(client, dispatcher, appeal, "assign", {"department": handler.department.pk}))

    assert body["due_at"] == services.default_due_date(appeal.category).isoformat()
    assert body["co_departments"] == []


def test_assignment_notifies_the_lead_departments_handlers(client, dispatcher, handler, at):
    appeal = at("accepted")
    colleague = UserFactory(role="handler", department=handler.department)
    outsider = UserFactory(role="handler", department=DepartmentFactory())
    ok(act(client, dispatcher, appeal, "assign", {"department": handler.department.pk}))

    for user in (handler, colleague):
        client.force_login(user)
        rows = client.get("/api/v1/notifications/").json()["results"]
        assigned = [row for row in rows if row["kind"] == "assigned"]
        assert len(assigned) == 1, user
        assert assigned[0]["app"] == "enterprises"
        assert assigned[0]["appeal"] == appeal.pk
        assert assigned[0]["read"] is False
    client.force_login(outsider)
    assert client.get("/api/v1/notifications/").json()["results"] == []


def test_sign(client, handler, at):
    appeal = at("assigned")

    body = ok(act(client, handler, appeal, "sign"))

    assert body["status"] == "in_progress"
    assert body["events"][-1]["action"] == "sign"
    assert body["events"][-1]["actor"] == handler.display_name


def test_a_colleague_in_the_department_signs_too(client, handler, at):
    appeal = at("assigned")
    colleague = UserFactory(role="handler", department=handler.department)

    assert ok(act(client, colleague, appeal, "sign"))["status"] == "in_progress"


def test_return_sends_it_back_to_the_dispatcher(client, handler, dispatcher, at):
    appeal = at("in_progress")

    body = ok(act(client, handler, appeal, "return", {"reason": "属于市场监管局职责"}))

    assert body["status"] == "accepted"
    assert body["department"] is None
    assert body["actions"] == []
    client.force_login(handler)
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    client.force_login(dispatcher)
    assert "assign" in client.get(f"/api/v1/appeals/{appeal.pk}/").json()["actions"]


def test_request_and_provide_info_stop_and_restart_the_clock(client, handler, entrepreneur, at):
    appeal = at("in_progress")

    asked = ok(act(client, handler, appeal, "request-info", {"question": "请提供贷款合同"}))
    assert asked["awaiting_info"] is True
    assert asked["status"] == "in_progress"
    client.force_login(entrepreneur)
    assert "provide-info" in client.get(f"/api/v1/appeals/{appeal.pk}/").json()["actions"]

    answered = ok(
        act(
            client,
            entrepreneur,
            appeal,
            "provide-info",
            {"content": "合同已上传", "files": [pdf("贷款合同.pdf")]},
            multipart=True,
        )
    )

    assert answered["awaiting_info"] is False
    assert [a["name"] for a in answered["attachments"]] == ["贷款合同.pdf"]
    assert answered["events"][-1]["action"] == "provide_info"
    assert InfoRequest.objects.get(appeal=appeal).answer == "合同已上传"


def test_reply_with_files(client, handler, at):
    appeal = at("in_progress")

    body = ok(
        act(
            client,
            handler,
            appeal,
            "reply",
            {"content": "已协调银行办理续贷", "files": [pdf("答复函.pdf")]},
            multipart=True,
        )
    )

    assert body["status"] == "replied"
    assert body["replied_at"]
    assert body["attachments"][0]["name"] == "答复函.pdf"
    assert Attachment.objects.get().event.action == "reply"


def test_reply_in_json(client, handler, at):
    appeal = at("in_progress")

    assert ok(act(client, handler, appeal, "reply", {"content": "已办结"}))["status"] == "replied"


@pytest.mark.parametrize("rating", ["satisfied", "basically_satisfied"])
def test_rating_closes(client, entrepreneur, at, rating):
    appeal = at("replied")

    body = ok(act(client, entrepreneur, appeal, "rate", {"rating": rating}))

    assert body["status"] == "closed"
    assert body["rating"] == rating
    assert body["closed_at"]


def test_dissatisfied_sends_it_back_to_in_progress(client, entrepreneur, handler, at):
    appeal = at("replied")

    body = ok(
        act(client, entrepreneur, appeal, "rate", {"rating": "dissatisfied", "comment": "没解决"})
    )

    assert body["status"] == "in_progress"
    assert body["events"][-1]["note"] == "没解决"
    assert "reply" in ok_detail(client, handler, appeal)["actions"]


def ok_detail(client, user, appeal) -> dict:
    client.force_login(user)
    return ok(client.get(f"/api/v1/appeals/{appeal.pk}/"))


def test_a_colleague_of_the_enterprise_rates(client, entrepreneur, at):
    appeal = at("replied")
    colleague = UserFactory(role="entrepreneur")
    MembershipFactory(user=colleague, enterprise=entrepreneur.enterprise, status="verified")

    assert ok(act(client, colleague, appeal, "rate", {"rating": "satisfied"}))["status"] == "closed"


def test_extend_then_approve(client, handler, head, at):
    appeal = at("in_progress")
    later = appeal.due_date + datetime.timedelta(days=14)

    asked = ok(
        act(client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "需会商"})
    )
    assert asked["due_at"] == appeal.due_date.isoformat()
    assert "approve-extension" in ok_detail(client, head, appeal)["actions"]

    body = ok(act(client, head, appeal, "approve-extension", {"note": "同意"}))

    assert body["due_at"] == later.isoformat()
    assert body["extended"] is True
    assert body["original_due_at"] == appeal.original_due_date.isoformat()


def test_dispatcher_approves_with_an_empty_body(client, handler, dispatcher, at):
    appeal = at("in_progress")
    later = appeal.due_date + datetime.timedelta(days=7)
    ok(act(client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "需会商"}))

    assert ok(act(client, dispatcher, appeal, "approve-extension"))["due_at"] == later.isoformat()


def test_decline_extension(client, handler, head, at):
    appeal = at("in_progress")
    later = appeal.due_date + datetime.timedelta(days=14)
    ok(act(client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "需会商"}))

    body = ok(act(client, head, appeal, "decline-extension", {"note": "时限内可办结"}))

    assert body["due_at"] == appeal.due_date.isoformat()
    assert body["extended"] is False
    assert Extension.objects.get().status == "declined"


def test_supervise(client, leader, at):
    appeal = at("in_progress")

    body = ok(act(client, leader, appeal, "supervise", {"note": "请本周内办结"}))

    assert body["is_supervised"] is True
    assert body["priority"] == 2
    assert body["events"][-1]["action"] == "supervise"


def test_merge_into_an_earlier_appeal(client, dispatcher, at):
    earlier = at("accepted", title="续贷审批缓慢问题")
    repeat = at("submitted", title="续贷审批缓慢问题再次反映")

    body = ok(act(client, dispatcher, repeat, "merge", {"into": earlier.pk}))

    assert body["status"] == "closed"
    assert body["merged_into"] == earlier.pk


def test_link_two_appeals(client, dispatcher, at):
    first = at("accepted", title="用地指标问题")
    second = at("submitted", title="用地审批问题")

    body = ok(act(client, dispatcher, second, "link", {"other": first.pk}))

    assert body["status"] == "submitted"
    assert body["events"][-1]["action"] == "link"
    assert list(Appeal.objects.get(pk=second.pk).linked.all()) == [first]


def test_co_handling_department_submits_its_part(client, dispatcher, handler, at):
    co_department = DepartmentFactory()
    co_handler = UserFactory(role="handler", department=co_department)
    appeal = services.appeal_assign(
        appeal=at("accepted"),
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_department],
    )

    body = ok(
        act(
            client,
            co_handler,
            appeal,
            "submit-part",
            {"content": "我局意见：符合政策", "files": [pdf("意见.pdf")]},
            multipart=True,
        )
    )

    assert body["co_departments"][0]["submitted_at"]
    assert body["events"][-1]["action"] == "submit_part"
    assert body["attachments"][0]["name"] == "意见.pdf"


def test_callback(client, dispatcher, at):
    appeal = at("closed")

    body = ok(act(client, dispatcher, appeal, "callback", {"rating": "satisfied", "note": "回访"}))

    assert body["events"][-1]["action"] == "callback"
    assert Appeal.objects.get(pk=appeal.pk).callback_rating == "satisfied"


def test_the_whole_loop_with_tokens(client, entrepreneur, dispatcher, handler):
    def token(user):
        response = client.post(
            "/api/v1/auth/token/",
            {"username": user.username, "password": PASSWORD},
            content_type="application/json",
        )
        return {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}

    def post(user, url, data=None):
        response = client.post(url, data or {}, content_type="application/json", **token(user))
        assert response.status_code in (200, 201), response.content
        return response.json()

    client.logout()
    created = post(
        entrepreneur,
        "/api/v1/appeals/",
        {
            "title": "环评审批",
            "content": "扩建项目环评审批进度咨询。",
            "category": category().pk,
            "enterprise": entrepreneur.enterprise.pk,
        },
    )
    url = f"/api/v1/appeals/{created['id']}/"
    post(dispatcher, url + "accept/")
    post(dispatcher, url + "assign/", {"department": handler.department.pk})
    post(handler, url + "sign/")
    post(handler, url + "reply/", {"content": "已加快审批"})
    sent_back = post(entrepreneur, url + "rate/", {"rating": "dissatisfied", "comment": "仍未批复"})
    assert sent_back["status"] == "in_progress"
    post(handler, url + "reply/", {"content": "已批复"})
    final = post(entrepreneur, url + "rate/", {"rating": "satisfied"})

    assert final["status"] == "closed"
    assert [e["action"] for e in final["events"]] == [
        "submit",
        "accept",
        "assign",
        "sign",
        "reply",
        "rate",
        "reply",
        "rate",
    ]


# --- 401 -------------------------------------------------------------------------------------


def test_actions_need_a_login(client, at):
    appeal = at("submitted")

    response = client.post(f"/api/v1/appeals/{appeal.pk}/accept/")

    assert response.status_code == 401
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


# --- 403: wrong role -------------------------------------------------------------------------

WRONG_ROLE = [
    ("submitted", "accept", "entrepreneur", {}),
    ("submitted", "reject", "leader", {"reason": "x"}),
    ("in_progress", "link", "handler", {"other": 1}),
    ("in_progress", "assign", "handler", {"department": 1}),
    ("accepted", "assign", "entrepreneur", {"department": 1}),
    ("assigned", "sign", "dispatcher", {}),
    ("assigned", "sign", "entrepreneur", {}),
    ("in_progress", "reply", "entrepreneur", {"content": "x"}),
    ("in_progress", "reply", "leader", {"content": "x"}),
    ("in_progress", "request-info", "dispatcher", {"question": "x"}),
    ("in_progress", "return", "leader", {"reason": "x"}),
    ("in_progress", "extend", "dispatcher", {"due_at": "2099-01-01", "reason": "x"}),
    ("in_progress", "supervise", "dispatcher", {"note": "x"}),
    ("in_progress", "supervise", "handler", {"note": "x"}),
    ("replied", "rate", "handler", {"rating": "satisfied"}),
    ("replied", "rate", "dispatcher", {"rating": "satisfied"}),
    ("replied", "callback", "handler", {"rating": "satisfied"}),
    ("in_progress", "submit-part", "handler", {"content": "x"}),
]


@pytest.fixture
def people(entrepreneur, dispatcher, handler, leader):
    return {
        "entrepreneur": entrepreneur,
        "dispatcher": dispatcher,
        "handler": handler,
        "leader": leader,
    }


@pytest.mark.parametrize(("status", "action", "who", "data"), WRONG_ROLE)
def test_wrong_role_is_403_and_changes_nothing(client, at, people, status, action, who, data):
    appeal = at(status)
    before = snapshot(appeal)

    response = act(client, people[who], appeal, action, data)

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert response.json()["detail"]
    assert snapshot(appeal) == before


def test_a_plain_handler_cannot_decide_extensions(client, handler, at):
    appeal = at("in_progress")
    later = appeal.due_date + datetime.timedelta(days=7)
    ok(act(client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "需会商"}))

    response = act(client, handler, appeal, "approve-extension")

    assert response.status_code == 403
    assert Extension.objects.get().status == "pending"


def test_a_co_handler_cannot_reply_for_the_lead(client, dispatcher, handler, at):
    co_handler = UserFactory(role="handler", department=DepartmentFactory())
    appeal = services.appeal_assign(
        appeal=at("accepted"),
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_handler.department],
    )
    appeal = services.appeal_sign(appeal=appeal, actor=handler)

    assert act(client, co_handler, appeal, "reply", {"content": "x"}).status_code == 403
    assert act(client, co_handler, appeal, "sign").status_code == 403


# --- 404: outside the caller's scope ----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        ("replied", "rate", {"rating": "satisfied"}),
        ("in_progress", "provide-info", {"content": "x"}),
    ],
)
def test_another_enterprises_member_gets_404(client, at, stranger, status, action, data):
    appeal = at(status)
    before = snapshot(appeal)

    response = act(client, stranger, appeal, action, data)

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
    assert snapshot(appeal) == before


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        ("assigned", "sign", {}),
        ("in_progress", "reply", {"content": "x"}),
        ("in_progress", "return", {"reason": "x"}),
        ("submitted", "accept", {}),
    ],
)
def test_another_departments_handler_gets_404(client, at, other_handler, status, action, data):
    appeal = at(status)
    before = snapshot(appeal)

    assert act(client, other_handler, appeal, action, data).status_code == 404
    assert snapshot(appeal) == before


def test_an_unknown_appeal_is_404(client, dispatcher):
    client.force_login(dispatcher)

    assert client.post("/api/v1/appeals/999999/accept/").status_code == 404


def test_an_unknown_action_is_404(client, dispatcher, at):
    appeal = at("submitted")
    client.force_login(dispatcher)

    assert client.post(f"/api/v1/appeals/{appeal.pk}/auto-close/").status_code == 404
    assert client.post(f"/api/v1/appeals/{appeal.pk}/approve_extension/").status_code == 404


def test_actions_refuse_get(client, dispatcher, at):
    appeal = at("submitted")
    client.force_login(dispatcher)

    assert client.get(f"/api/v1/appeals/{appeal.pk}/accept/").status_code == 405


# --- 409: wrong status -----------------------------------------------------------------------

WRONG_STATUS = [
    ("accepted", "accept", "dispatcher", {}),
    ("assigned", "reject", "dispatcher", {"reason": "x"}),
    ("submitted", "assign", "dispatcher", {"department": 1}),
    ("in_progress", "sign", "handler", {}),
    ("assigned", "reply", "handler", {"content": "x"}),
    ("assigned", "request-info", "handler", {"question": "x"}),
    ("in_progress", "provide-info", "entrepreneur", {"content": "x"}),
    ("in_progress", "rate", "entrepreneur", {"rating": "satisfied"}),
    ("closed", "rate", "entrepreneur", {"rating": "satisfied"}),
    ("replied", "return", "handler", {"reason": "x"}),
    ("in_progress", "approve-extension", "dispatcher", {}),
    ("in_progress", "decline-extension", "dispatcher", {"note": "x"}),
    ("closed", "supervise", "leader", {"note": "x"}),
    ("in_progress", "callback", "dispatcher", {"rating": "satisfied"}),
    ("rejected", "accept", "dispatcher", {}),
]


@pytest.mark.parametrize(("status", "action", "who", "data"), WRONG_STATUS)
def test_wrong_status_is_409_and_changes_nothing(client, at, people, status, action, who, data):
    appeal = at(status)
    before = snapshot(appeal)

    response = act(client, people[who], appeal, action, data)

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"]
    assert snapshot(appeal) == before


def test_a_second_question_while_one_is_open_is_409(client, handler, at):
    appeal = at("in_progress")
    ok(act(client, handler, appeal, "request-info", {"question": "请提供合同"}))

    response = act(client, handler, appeal, "request-info", {"question": "还有发票"})

    assert response.status_code == 409
    assert InfoRequest.objects.filter(appeal=appeal).count() == 1


def test_a_second_extension_request_is_409(client, handler, at):
    appeal = at("in_progress")
    later = appeal.due_date + datetime.timedelta(days=7)
    ok(act(client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "需会商"}))

    response = act(
        client, handler, appeal, "extend", {"due_at": later.isoformat(), "reason": "再延"}
    )

    assert response.status_code == 409
    assert Extension.objects.count() == 1


def test_a_part_is_submitted_once(client, dispatcher, handler, at):
    co_handler = UserFactory(role="handler", department=DepartmentFactory())
    appeal = services.appeal_assign(
        appeal=at("accepted"),
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_handler.department],
    )
    ok(act(client, co_handler, appeal, "submit-part", {"content": "意见一"}))

    response = act(client, co_handler, appeal, "submit-part", {"content": "意见二"})

    assert response.status_code == 409
    assert appeal.co_handlings.get().part == "意见一"


# --- the order of the checks -----------------------------------------------------------------


def test_outside_scope_comes_before_wrong_status(client, at, stranger):
    appeal = at("submitted")

    assert act(client, stranger, appeal, "rate", {"rating": "bogus"}).status_code == 404


def test_wrong_role_comes_before_bad_input(client, entrepreneur, at):
    appeal = at("submitted")

    assert act(client, entrepreneur, appeal, "reject", {"reason": ""}).status_code == 403


def test_wrong_status_comes_before_bad_input(client, dispatcher, at):
    appeal = at("accepted")

    assert act(client, dispatcher, appeal, "reject", {"reason": ""}).status_code == 409


# --- 400: bad input ---------------------------------------------------------------------------

PAST = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

BAD_INPUT = [
    ("submitted", "reject", "dispatcher", {"reason": ""}, "reason"),
    ("submitted", "reject", "dispatcher", {"reason": "   "}, "reason"),
    ("submitted", "reject", "dispatcher", {}, "reason"),
    ("submitted", "reject", "dispatcher", {"reason": ["a"]}, "reason"),
    ("submitted", "reject", "dispatcher", {"reason": "x" * 5001}, "reason"),
    ("submitted", "merge", "dispatcher", {"into": "abc"}, "into"),
    ("submitted", "merge", "dispatcher", {"into": 999999}, "into"),
    ("submitted", "link", "dispatcher", {"other": None}, "other"),
    ("accepted", "assign", "dispatcher", {}, "department"),
    ("accepted", "assign", "dispatcher", {"department": 999999}, "department"),
    ("accepted", "assign", "dispatcher", {"department": "abc"}, "department"),
    ("accepted", "assign", "dispatcher", {"department": True}, "department"),
    ("accepted", "assign", "dispatcher", {"department": "LEAD", "due_at": PAST}, "due_at"),
    ("accepted", "assign", "dispatcher", {"department": "LEAD", "due_at": "2026-02-30"}, "due_at"),
    ("accepted", "assign", "dispatcher", {"department": "LEAD", "due_at": "2999-01-01"}, "due_at"),
    ("accepted", "assign", "dispatcher", {"department": "LEAD", "priority": 7}, "priority"),
    (
        "accepted",
        "assign",
        "dispatcher",
        {"department": "LEAD", "co_departments": "abc"},
        "co_departments",
    ),
    (
        "accepted",
        "assign",
        "dispatcher",
        {"department": "LEAD", "co_departments": [999999]},
        "co_departments",
    ),
    (
        "accepted",
        "assign",
        "dispatcher",
        {"department": "LEAD", "co_departments": ["LEAD"]},
        "co_departments",
    ),
    ("in_progress", "return", "handler", {"reason": ""}, "reason"),
    ("in_progress", "request-info", "handler", {"question": ""}, "question"),
    ("in_progress", "reply", "handler", {"content": ""}, "content"),
    ("in_progress", "reply", "handler", {"content": None}, "content"),
    ("in_progress", "extend", "handler", {"due_at": PAST, "reason": "需会商"}, "due_at"),
    ("in_progress", "extend", "handler", {"due_at": "tomorrow", "reason": "需会商"}, "due_at"),
    ("in_progress", "extend", "handler", {"reason": "需会商"}, "due_at"),
    ("in_progress", "extend", "handler", {"due_at": "2999-01-01", "reason": ""}, "reason"),
    ("in_progress", "supervise", "leader", {"note": ""}, "note"),
    ("replied", "rate", "entrepreneur", {"rating": "great"}, "rating"),
    ("replied", "rate", "entrepreneur", {}, "rating"),
    ("replied", "rate", "entrepreneur", {"rating": "dissatisfied"}, "comment"),
    ("replied", "callback", "dispatcher", {"rating": 3}, "rating"),
]


@pytest.mark.parametrize(("status", "action", "who", "data", "field"), BAD_INPUT)
def test_bad_input_is_400_under_the_field(
    client, at, people, handler, status, action, who, data, field
):
    appeal = at(status)
    lead = handler.department.pk
    data = {
        key: (
            lead
            if value == "LEAD"
            else [lead if v == "LEAD" else v for v in value]
            if isinstance(value, list)
            else value
        )
        for key, value in data.items()
    }
    before = snapshot(appeal)

    response = act(client, people[who], appeal, action, data)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body[field] and all(isinstance(message, str) for message in body[field]), body
    assert snapshot(appeal) == before


def test_merge_into_itself_or_another_enterprises_appeal_is_400(client, dispatcher, at, stranger):
    appeal = at("submitted")
    foreign = appeal_in("submitted", entrepreneur=stranger)

    for into in (appeal.pk, foreign.pk):
        response = act(client, dispatcher, appeal, "merge", {"into": into})
        assert response.status_code == 400
        assert response.json()["into"]
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


def test_an_inactive_department_is_400(client, dispatcher, at):
    appeal = at("accepted")
    closed = DepartmentFactory(is_active=False)

    response = act(client, dispatcher, appeal, "assign", {"department": closed.pk})

    assert response.status_code == 400
    assert response.json()["department"]


def test_a_disguised_reply_file_is_400_and_nothing_is_written(client, handler, at):
    appeal = at("in_progress")
    before = snapshot(appeal)
    fake = SimpleUploadedFile("答复.docx", b"just text, not an office file")

    response = act(
        client, handler, appeal, "reply", {"content": "答复", "files": [fake]}, multipart=True
    )

    assert response.status_code == 400
    assert response.json()["files"]
    assert snapshot(appeal) == before
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null"])
def test_malformed_bodies_are_400(client, dispatcher, at, body):
    appeal = at("submitted")
    before = snapshot(appeal)
    client.force_login(dispatcher)

    response = client.post(
        f"/api/v1/appeals/{appeal.pk}/reject/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] in ("invalid", "parse_error")
    assert snapshot(appeal) == before


def test_a_script_in_a_reply_comes_back_as_data(client, handler, at):
    appeal = at("in_progress")
    script = "<script>alert(1)</script>"

    body = ok(act(client, handler, appeal, "reply", {"content": script}))

    assert body["events"][-1]["note"] == script
    assert AppealEvent.objects.filter(appeal=appeal, action="reply").get().note == script


# --- two people at once (PostgreSQL row locks) -------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_two_simultaneous_steps_exactly_one_wins(postgres, entrepreneur, dispatcher, handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    second = UserFactory(role="dispatcher")
    other_department = DepartmentFactory()
    requests = [
        (Token.objects.create(user=dispatcher).key, handler.department.pk),
        (Token.objects.create(user=second).key, other_department.pk),
    ]
    barrier = Barrier(len(requests))

    def assign(key_and_department):
        key, department = key_and_department
        try:
            barrier.wait(timeout=10)
            return Client().post(
                f"/api/v1/appeals/{appeal.pk}/assign/",
                {"department": department},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {key}",
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        responses = list(pool.map(assign, requests))

    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "conflict"
    appeal.refresh_from_db()
    assert appeal.status == "assigned"
    assert appeal.assignments.count() == 1
    assert AppealEvent.objects.filter(appeal=appeal, action="assign").count() == 1
