"""The appeal API's reads and submission (CONTRACT.md, "REST API"): categories, the scoped and
filtered list, submitting an appeal, and the detail shape with its timeline.

Scoping is tested with three people each time: the owner, a colleague who should see the
appeal too, and an outsider who gets 404 (or an empty list).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises import services
from enterprises.models import Appeal, AppealCategory, AppealEvent, Attachment
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

APPEALS = "/api/v1/appeals/"
CATEGORIES = "/api/v1/appeal-categories/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LIST_KEYS = {
    "id",
    "number",
    "title",
    "status",
    "category",
    "enterprise",
    "department",
    "due_at",
    "overdue",
    "priority",
    "is_supervised",
    "source",
    "submitted_at",
}
DETAIL_KEYS = LIST_KEYS | {
    "content",
    "co_departments",
    "original_due_at",
    "extended",
    "awaiting_info",
    "accepted_at",
    "replied_at",
    "closed_at",
    "rating",
    "merged_into",
    "actions",
    "attachments",
    "events",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def detail_url(appeal) -> str:
    return f"{APPEALS}{appeal.pk}/"


def colleague_of(entrepreneur):
    """A second verified member of the entrepreneur's enterprise."""
    user = UserFactory(role="entrepreneur")
    MembershipFactory(user=user, enterprise=entrepreneur.enterprise, status="verified")
    return user


def outsider():
    """A verified member of another enterprise."""
    user = UserFactory(role="entrepreneur")
    user.enterprise = EnterpriseFactory()
    MembershipFactory(user=user, enterprise=user.enterprise, status="verified")
    return user


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def submit(client, user, **data):
    client.force_login(user)
    return client.post(APPEALS, data, content_type="application/json")


def valid_submission(entrepreneur, **overrides) -> dict:
    return {
        "title": "用电增容报装进度咨询",
        "content": "新厂房需要增容至2000千伏安，报装三周未有回复。",
        "category": category().pk,
        "enterprise": entrepreneur.enterprise.pk,
        **overrides,
    }


def token_header(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Token {response.json()['token']}"}


# --- GET /api/v1/appeal-categories/ ----------------------------------------------------------


def test_categories_list_the_active_ones_with_their_limits(client, entrepreneur):
    retired = AppealCategory.objects.create(name="已停用类别", is_active=False)
    client.force_login(entrepreneur)

    response = client.get(CATEGORIES)

    assert response.status_code == 200
    rows = response.json()
    assert isinstance(rows, list) and rows
    assert all(set(row) == {"id", "name", "guidance", "sign_days", "handle_days"} for row in rows)
    names = {row["name"] for row in rows}
    assert "融资信贷" in names
    assert retired.name not in names
    finance = next(row for row in rows if row["name"] == "融资信贷")
    assert finance["handle_days"] == category().handle_days


def test_categories_need_a_login(client, db):
    assert client.get(CATEGORIES).status_code == 401


# --- GET /api/v1/appeals/: shape, scope ------------------------------------------------------


def test_list_is_paginated_with_the_row_shape(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    client.force_login(entrepreneur)

    body = client.get(APPEALS).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    (row,) = body["results"]
    assert set(row) == LIST_KEYS
    assert row["number"] == appeal.number
    assert row["status"] == "assigned"
    assert row["category"] == {"id": appeal.category_id, "name": "融资信贷"}
    assert row["enterprise"] == {"id": entrepreneur.enterprise.pk, "name": appeal.enterprise.name}
    assert row["department"] == {"id": handler.department.pk, "name": handler.department.name}
    assert row["due_at"] == appeal.due_date.isoformat()
    assert row["overdue"] is False
    assert row["source"] == "platform"


def test_list_pages_follow_page_size(client, entrepreneur):
    for i in range(3):
        appeal_in("submitted", entrepreneur=entrepreneur, title=f"诉求{i}号关于不同事项")
    client.force_login(entrepreneur)

    first = client.get(APPEALS, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["previous"] is None and first["next"]
    assert len(second["results"]) == 1 and second["next"] is None


def test_list_is_newest_first(client, entrepreneur):
    older = appeal_in("submitted", entrepreneur=entrepreneur, title="较早的诉求关于用地")
    newer = appeal_in("submitted", entrepreneur=entrepreneur, title="较新的诉求关于用工")
    client.force_login(entrepreneur)

    rows = client.get(APPEALS).json()["results"]

    assert [row["id"] for row in rows] == [newer.pk, older.pk]


def test_entrepreneurs_see_their_enterprises_appeals_only(client, entrepreneur):
    mine = appeal_in("submitted", entrepreneur=entrepreneur)
    stranger = outsider()
    theirs = appeal_in("submitted", entrepreneur=stranger)
    colleague = colleague_of(entrepreneur)

    client.force_login(entrepreneur)
    assert ids(client.get(APPEALS)) == {mine.pk}
    client.force_login(colleague)
    assert ids(client.get(APPEALS)) == {mine.pk}
    client.force_login(stranger)
    assert ids(client.get(APPEALS)) == {theirs.pk}


def test_a_pending_member_sees_nothing(client, entrepreneur):
    appeal_in("submitted", entrepreneur=entrepreneur)
    pending = UserFactory(role="entrepreneur")
    MembershipFactory(user=pending, enterprise=entrepreneur.enterprise, status="pending")
    client.force_login(pending)

    assert ids(client.get(APPEALS)) == set()


def test_handlers_see_their_departments_appeals(client, entrepreneur, dispatcher, handler):
    ours = appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    colleague = UserFactory(role="handler", department=handler.department)
    head = UserFactory(role="department_head", department=handler.department)
    other = UserFactory(role="handler", department=DepartmentFactory())

    for user in (handler, colleague, head):
        client.force_login(user)
        assert ids(client.get(APPEALS)) == {ours.pk}, user.role
    client.force_login(other)
    assert ids(client.get(APPEALS)) == set()


def test_a_co_handling_department_sees_the_appeal(client, entrepreneur, dispatcher, handler):
    co_department = DepartmentFactory()
    co_handler = UserFactory(role="handler", department=co_department)
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_department],
    )
    client.force_login(co_handler)

    assert ids(client.get(APPEALS)) == {appeal.pk}
    assert client.get(detail_url(appeal)).status_code == 200


def test_dispatchers_and_leaders_see_everything(client, entrepreneur, dispatcher, leader):
    first = appeal_in("submitted", entrepreneur=entrepreneur)
    second = appeal_in("submitted", entrepreneur=outsider())

    for user in (dispatcher, leader):
        client.force_login(user)
        assert ids(client.get(APPEALS)) == {first.pk, second.pk}


def test_list_needs_a_login_and_takes_a_token(client, entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)

    assert client.get(APPEALS).status_code == 401
    assert client.get(APPEALS, HTTP_AUTHORIZATION="Token not-a-real-token").status_code == 401
    response = client.get(APPEALS, **token_header(client, entrepreneur))
    assert ids(response) == {appeal.pk}


# --- GET /api/v1/appeals/: filters ---------------------------------------------------------


@pytest.fixture
def mixed(entrepreneur, dispatcher, handler):
    """A submitted, an assigned (overdue) and a hotline appeal of another category."""
    submitted = appeal_in("submitted", entrepreneur=entrepreneur, title="土地指标落实问题")
    assigned = appeal_in(
        "assigned",
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        title="续贷审批缓慢",
    )
    Appeal.objects.filter(pk=assigned.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    other_category = AppealCategory.objects.exclude(pk=category().pk).first()
    hotline = services.appeal_submit(
        actor=dispatcher,
        enterprise=EnterpriseFactory(name="衢州热线企业有限公司"),
        title="热线反映用工难",
        content="企业招工困难。",
        category=other_category,
        source="hotline",
    )
    return {"submitted": submitted, "assigned": assigned, "hotline": hotline}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, {"submitted", "hotline"}),
        ({"status": ["assigned", "submitted"]}, {"submitted", "assigned", "hotline"}),
        ({"overdue": "true"}, {"assigned"}),
        ({"overdue": "false"}, {"submitted", "hotline"}),
        ({"source": "hotline"}, {"hotline"}),
        ({"q": "续贷"}, {"assigned"}),
        ({"q": "热线企业"}, {"hotline"}),
        ({"supervised": "false"}, {"submitted", "assigned", "hotline"}),
    ],
)
def test_list_filters(client, dispatcher, mixed, params, expected):
    client.force_login(dispatcher)

    assert ids(client.get(APPEALS, params)) == {mixed[name].pk for name in expected}


def test_list_filters_by_department_category_enterprise_and_number(
    client, dispatcher, handler, entrepreneur, mixed
):
    client.force_login(dispatcher)
    hotline, assigned = mixed["hotline"], mixed["assigned"]

    assert ids(client.get(APPEALS, {"department": handler.department.pk})) == {assigned.pk}
    assert ids(client.get(APPEALS, {"category": hotline.category_id})) == {hotline.pk}
    assert ids(client.get(APPEALS, {"enterprise": hotline.enterprise_id})) == {hotline.pk}
    assert ids(client.get(APPEALS, {"q": assigned.number.lower()})) == {assigned.pk}


def test_filters_stay_inside_the_callers_scope(client, entrepreneur, mixed):
    client.force_login(entrepreneur)

    assert ids(client.get(APPEALS, {"source": "hotline"})) == set()
    assert ids(client.get(APPEALS, {"status": "submitted"})) == {mixed["submitted"].pk}


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "archived"),
        ("department", "abc"),
        ("department", "999999"),
        ("category", "999999"),
        ("source", "email"),
        ("enterprise", "abc"),
        ("overdue", "maybe"),
        ("supervised", "perhaps"),
        ("submitted_from", "2026-13-45"),
    ],
)
def test_bad_filter_values_are_400_under_the_parameter(client, dispatcher, param, value):
    client.force_login(dispatcher)

    response = client.get(APPEALS, {param: value})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body[param] and all(isinstance(message, str) for message in body[param])


# --- POST /api/v1/appeals/ -----------------------------------------------------------------


def test_entrepreneur_submits_an_appeal(client, entrepreneur, dispatcher):
    response = submit(client, entrepreneur, **valid_submission(entrepreneur))

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == DETAIL_KEYS
    appeal = Appeal.objects.get()
    assert body["id"] == appeal.pk
    assert body["number"] == appeal.number and body["number"].startswith("QH-")
    assert body["status"] == "submitted"
    assert body["source"] == "platform"
    assert body["department"] is None and body["due_at"] is None
    assert response["Location"].endswith(f"{APPEALS}{appeal.pk}/")
    assert [event["action"] for event in body["events"]] == ["submit"]
    assert appeal.submitted_by == entrepreneur
    assert dispatcher.notifications.filter(
        kind="enterprises.submitted", target_id=appeal.pk
    ).exists()


def test_numbers_are_unique_across_submissions(client, entrepreneur):
    numbers = {
        submit(client, entrepreneur, **valid_submission(entrepreneur, title=f"第{i}个问题")).json()[
            "number"
        ]
        for i in range(3)
    }

    assert len(numbers) == 3


def test_a_colleague_submits_for_the_same_enterprise(client, entrepreneur):
    colleague = colleague_of(entrepreneur)

    response = submit(client, colleague, **valid_submission(entrepreneur))

    assert response.status_code == 201
    client.force_login(entrepreneur)
    assert ids(client.get(APPEALS)) == {response.json()["id"]}


def test_submission_with_a_token(client, entrepreneur):
    response = client.post(
        APPEALS,
        valid_submission(entrepreneur),
        content_type="application/json",
        **token_header(client, entrepreneur),
    )

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"


def test_submission_without_login_is_401(client, entrepreneur):
    response = client.post(APPEALS, valid_submission(entrepreneur), content_type="application/json")

    assert response.status_code == 401
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"content": ""}, "content"),
        ({"category": 999999}, "category"),
        ({"category": "abc"}, "category"),
        ({"category": None}, "category"),
        ({"enterprise": "abc"}, "enterprise"),
        ({"enterprise": 10**30}, "enterprise"),
        ({"source": "hotline"}, "source"),
        ({"source": "email"}, "source"),
        ({"files": ["not-a-file"]}, "files"),
    ],
)
def test_bad_submissions_are_400_under_the_field(client, entrepreneur, overrides, field):
    response = submit(client, entrepreneur, **valid_submission(entrepreneur, **overrides))

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body[field] and all(isinstance(message, str) for message in body[field])
    assert not Appeal.objects.exists()


def test_missing_fields_are_named_each(client, entrepreneur):
    response = submit(client, entrepreneur)

    assert response.status_code == 400
    assert {"title", "content", "category", "enterprise"} <= set(response.json())


def test_someone_elses_enterprise_is_400(client, entrepreneur):
    stranger = outsider()

    response = submit(client, entrepreneur, **valid_submission(stranger))

    assert response.status_code == 400
    assert response.json()["enterprise"]
    assert not Appeal.objects.exists()


def test_a_pending_member_cannot_submit(client, entrepreneur):
    pending = UserFactory(role="entrepreneur")
    MembershipFactory(user=pending, enterprise=entrepreneur.enterprise, status="pending")

    response = submit(client, pending, **valid_submission(entrepreneur))

    assert response.status_code == 400
    assert response.json()["enterprise"]
    assert not Appeal.objects.exists()


def test_an_inactive_category_is_400(client, entrepreneur):
    retired = AppealCategory.objects.create(name="已停用类别", is_active=False)

    response = submit(client, entrepreneur, **valid_submission(entrepreneur, category=retired.pk))

    assert response.status_code == 400
    assert response.json()["category"]


def test_a_script_is_stored_verbatim_and_returned_as_data(client, entrepreneur):
    script = '<script>alert("x")</script>'

    response = submit(
        client, entrepreneur, **valid_submission(entrepreneur, title=script, content=script)
    )

    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == script
    assert Appeal.objects.get().content == script
    detail = client.get(detail_url(Appeal.objects.get())).json()
    assert detail["title"] == script and detail["content"] == script


@pytest.mark.parametrize("role", ["handler", "department_head", "leader"])
def test_other_roles_cannot_submit(client, entrepreneur, role):
    user = UserFactory(role=role, department=DepartmentFactory())

    response = submit(client, user, **valid_submission(entrepreneur))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Appeal.objects.exists()


def test_dispatchers_record_hotline_appeals_for_any_enterprise(client, dispatcher):
    enterprise = EnterpriseFactory()

    response = submit(
        client,
        dispatcher,
        title="热线：园区道路积水",
        content="雨天园区道路积水严重。",
        category=category().pk,
        enterprise=enterprise.pk,
        source="hotline",
    )

    assert response.status_code == 201, response.content
    assert response.json()["source"] == "hotline"
    assert Appeal.objects.get().enterprise == enterprise


def test_submission_with_files(client, entrepreneur):
    client.force_login(entrepreneur)
    data = valid_submission(entrepreneur)
    data["files"] = [
        SimpleUploadedFile("报装申请.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf"),
    ]

    response = client.post(APPEALS, data)  # multipart

    assert response.status_code == 201, response.content
    body = response.json()
    appeal = Appeal.objects.get()
    assert [a["name"] for a in body["attachments"]] == ["报装申请.pdf", "现场.pdf"]
    first = body["attachments"][0]
    attachment = Attachment.objects.get(pk=first["id"])
    assert set(first) == {"id", "name", "size", "content_type", "url"}
    assert first["size"] == len(PDF) and first["content_type"] == "application/pdf"
    assert first["url"].endswith(f"/appeals/{appeal.pk}/files/{attachment.pk}/")
    assert attachment.event.action == "submit"
    assert body["events"][0]["attachments"] == [a["id"] for a in body["attachments"]]


def test_a_disguised_file_is_400_and_nothing_is_created(client, entrepreneur):
    client.force_login(entrepreneur)
    data = valid_submission(entrepreneur)
    data["files"] = [SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf")]

    response = client.post(APPEALS, data)

    assert response.status_code == 400
    assert response.json()["files"]
    assert not Appeal.objects.exists()
    assert not Attachment.objects.exists()


def test_malformed_json_is_400(client, entrepreneur):
    client.force_login(entrepreneur)

    response = client.post(APPEALS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


# --- GET /api/v1/appeals/{id}/ -------------------------------------------------------------


def test_detail_shape_and_timeline(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    client.force_login(entrepreneur)

    body = client.get(detail_url(appeal)).json()

    assert set(body) == DETAIL_KEYS
    assert body["id"] == appeal.pk and body["number"] == appeal.number
    assert body["title"] == appeal.title and body["content"] == appeal.content
    assert body["status"] == "replied"
    assert body["department"] == {"id": handler.department.pk, "name": handler.department.name}
    assert body["due_at"] == appeal.due_date.isoformat()
    assert body["original_due_at"] == appeal.original_due_date.isoformat()
    assert body["co_departments"] == []
    assert body["extended"] is False and body["awaiting_info"] is False
    assert body["accepted_at"] and body["replied_at"] and body["closed_at"] is None
    assert body["rating"] == ""
    assert body["actions"] == ["rate"]
    events = body["events"]
    assert [e["action"] for e in events] == ["submit", "accept", "assign", "sign", "reply"]
    assert set(events[0]) == {
        "action",
        "actor",
        "at",
        "note",
        "from_status",
        "to_status",
        "attachments",
    }
    assert events[0]["actor"] == entrepreneur.display_name
    assert events[0]["from_status"] == "" and events[0]["to_status"] == "submitted"
    assert events[1]["actor"] == dispatcher.display_name
    assert events[-1]["note"] == "已协调银行完成续贷。"
    assert events[-1]["from_status"] == "in_progress" and events[-1]["to_status"] == "replied"
    times = [e["at"] for e in events]
    assert times == sorted(times)


def test_detail_shows_co_departments_with_their_deadlines(
    client, entrepreneur, dispatcher, handler
):
    co_department = DepartmentFactory()
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    appeal = services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_department],
    )
    client.force_login(handler)

    body = client.get(detail_url(appeal)).json()

    co_handling = appeal.co_handlings.get()
    assert body["co_departments"] == [
        {
            "id": co_department.pk,
            "name": co_department.name,
            "due_at": co_handling.due_date.isoformat(),
            "submitted_at": None,
        }
    ]
    assert "sign" in body["actions"] and "return" in body["actions"]


def test_actions_use_the_api_spelling(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    client.force_login(handler)

    actions = client.get(detail_url(appeal)).json()["actions"]

    assert {"request-info", "reply", "return", "extend"} <= set(actions)
    assert not any("_" in name for name in actions)


def test_the_systems_events_have_no_actor(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    services.close_unrated_replies(today=timezone.localdate() + datetime.timedelta(days=30))
    client.force_login(entrepreneur)

    events = client.get(detail_url(appeal)).json()["events"]

    assert events[-1]["action"] == "auto_close"
    assert events[-1]["actor"] is None


def test_detail_scope_for_entrepreneurs(client, entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)

    for user, expected in (
        (entrepreneur, 200),
        (colleague_of(entrepreneur), 200),
        (outsider(), 404),
    ):
        client.force_login(user)
        assert client.get(detail_url(appeal)).status_code == expected


def test_detail_scope_for_handlers(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    colleague = UserFactory(role="handler", department=handler.department)
    other = UserFactory(role="handler", department=DepartmentFactory())

    for user, expected in ((handler, 200), (colleague, 200), (other, 404)):
        client.force_login(user)
        assert client.get(detail_url(appeal)).status_code == expected


def test_detail_outside_scope_is_404_with_the_error_shape(client, entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(outsider())

    response = client.get(detail_url(appeal))

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
    assert "title" not in response.content.decode()


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_unknown_ids_are_404(client, dispatcher, pk):
    client.force_login(dispatcher)

    assert client.get(f"{APPEALS}{pk}/").status_code == 404


def test_a_non_numeric_id_is_404_not_500(client, dispatcher):
    client.force_login(dispatcher)

    assert client.get(f"{APPEALS}abc/").status_code == 404
    assert client.post(f"{APPEALS}abc/accept/").status_code == 404


def test_detail_needs_a_login(client, entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)

    assert client.get(detail_url(appeal)).status_code == 401
    response = client.get(detail_url(appeal), **token_header(client, entrepreneur))
    assert response.status_code == 200


def test_reads_change_nothing(client, entrepreneur):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(entrepreneur)

    client.get(detail_url(appeal))
    client.get(APPEALS)

    assert AppealEvent.objects.filter(appeal=appeal).count() == 1
