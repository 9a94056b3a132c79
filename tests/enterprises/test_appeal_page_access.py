"""Who reaches which appeal page: every page × role, with an owner, a colleague and an outsider.

Outside a person's scope an appeal does not exist (404); a page that is not for a role is 403.
"""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises import services
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    appeal_in,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, entrepreneur, dispatcher, handler, leader, admin_user):
    """One appeal in progress: lead department = ``handler``'s, one co-handling department."""
    co_department = DepartmentFactory()
    other_department = DepartmentFactory()
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    # route it again with a co-handling department: return within the day, then assign anew
    services.appeal_return(appeal=appeal, actor=handler, reason="协办单位缺失")
    services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[co_department],
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    services.appeal_request_info(appeal=appeal, actor=handler, question="请提供贷款合同")
    services.appeal_provide_info(
        appeal=appeal,
        actor=entrepreneur,
        content="见附件",
        files=[SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")],
    )
    appeal.refresh_from_db()
    colleague = UserFactory(role="entrepreneur")
    MembershipFactory(user=colleague, enterprise=entrepreneur.enterprise, status="verified")
    outsider = UserFactory(role="entrepreneur")
    MembershipFactory(user=outsider, enterprise=EnterpriseFactory(), status="verified")
    pending = UserFactory(role="entrepreneur")
    MembershipFactory(user=pending, enterprise=entrepreneur.enterprise, status="pending")
    return SimpleNamespace(
        appeal=appeal,
        attachment=appeal.attachments.get(),
        owner=entrepreneur,
        colleague=colleague,
        outsider=outsider,
        pending=pending,
        dispatcher=dispatcher,
        leader=leader,
        admin=admin_user,
        handler=handler,
        handler_colleague=UserFactory(role="handler", department=handler.department),
        head=UserFactory(role="department_head", department=handler.department),
        co_handler=UserFactory(role="handler", department=co_department),
        other_handler=UserFactory(role="handler", department=other_department),
        other_head=UserFactory(role="department_head", department=other_department),
    )


IN_SCOPE = [
    "owner",
    "colleague",
    "dispatcher",
    "leader",
    "admin",
    "handler",
    "handler_colleague",
    "head",
    "co_handler",
]
OUT_OF_SCOPE = ["outsider", "pending", "other_handler", "other_head"]


def _get(client, world, who, url):
    client.force_login(getattr(world, who))
    return client.get(url)


# --- one appeal: detail and files -------------------------------------------------------------


@pytest.mark.parametrize("who", IN_SCOPE)
def test_detail_page_for_everyone_in_scope(client, world, who):
    response = _get(client, world, who, f"/appeals/{world.appeal.pk}/")
    assert response.status_code == 200
    assert world.appeal.number in response.content.decode()


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_detail_page_is_404_outside_scope(client, world, who):
    assert _get(client, world, who, f"/appeals/{world.appeal.pk}/").status_code == 404


@pytest.mark.parametrize("who", IN_SCOPE)
def test_attachment_for_everyone_in_scope(client, world, who):
    url = f"/appeals/{world.appeal.pk}/files/{world.attachment.pk}/"
    response = _get(client, world, who, url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_attachment_is_404_outside_scope(client, world, who):
    url = f"/appeals/{world.appeal.pk}/files/{world.attachment.pk}/"
    assert _get(client, world, who, url).status_code == 404


def test_attachment_under_another_appeal_is_404(client, world):
    other = appeal_in("submitted", entrepreneur=world.owner)
    url = f"/appeals/{other.pk}/files/{world.attachment.pk}/"
    assert _get(client, world, "owner", url).status_code == 404


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_actions_are_404_outside_scope(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(f"/appeals/{world.appeal.pk}/reply/", {"reply-content": "越权答复"})
    assert response.status_code == 404
    world.appeal.refresh_from_db()
    assert world.appeal.status == "in_progress"


@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("owner", "reply", {"reply-content": "企业不能答复自己的诉求"}),
        ("handler_colleague", "rate", {"rate-rating": "satisfied"}),
        ("co_handler", "reply", {"reply-content": "协办单位不能直接答复"}),
        ("leader", "sign", {}),
        ("dispatcher", "provide_info", {"provide_info-content": "受理员不能代企业补充"}),
        ("handler", "supervise", {"supervise-note": "承办人不能督办"}),
    ],
)
def test_actions_of_another_role_are_403(client, world, who, action, data):
    client.force_login(getattr(world, who))
    response = client.post(f"/appeals/{world.appeal.pk}/{action}/", data)
    assert response.status_code == 403
    world.appeal.refresh_from_db()
    assert world.appeal.status == "in_progress"
    assert not world.appeal.is_supervised


def test_unknown_action_is_404_and_get_is_405(client, world):
    client.force_login(world.handler)
    assert client.post(f"/appeals/{world.appeal.pk}/explode/").status_code == 404
    assert client.post(f"/appeals/{world.appeal.pk}/auto_close/").status_code == 404
    assert client.get(f"/appeals/{world.appeal.pk}/sign/").status_code == 405


# --- the detail page offers exactly the actions the table allows ------------------------------


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("owner", set()),
        ("colleague", set()),
        ("handler", {"reply", "request_info", "return", "extend"}),
        ("handler_colleague", {"reply", "request_info", "return", "extend"}),
        ("head", {"reply", "request_info", "return", "extend"}),
        ("co_handler", {"submit_part"}),
        ("dispatcher", {"link"}),
        ("leader", {"supervise"}),
    ],
)
def test_detail_page_shows_only_available_actions(client, world, who, offered):
    html = _get(client, world, who, f"/appeals/{world.appeal.pk}/").content.decode()
    shown = {name for name in _ALL_ACTIONS if f'data-testid="action-{name}"' in html}
    assert shown == offered


_ALL_ACTIONS = [
    "accept",
    "reject",
    "merge",
    "link",
    "assign",
    "sign",
    "return",
    "request_info",
    "provide_info",
    "submit_part",
    "reply",
    "rate",
    "extend",
    "approve_extension",
    "decline_extension",
    "supervise",
    "callback",
]


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", IN_SCOPE)
def test_list_shows_the_appeal_in_scope(client, world, who):
    response = _get(client, world, who, "/appeals/")
    assert response.status_code == 200
    assert f'data-appeal="{world.appeal.pk}"' in response.content.decode()


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_list_hides_the_appeal_outside_scope(client, world, who):
    response = _get(client, world, who, "/appeals/")
    assert response.status_code == 200
    assert f'data-appeal="{world.appeal.pk}"' not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status", "listed"),
    [
        ("dispatcher", 200, False),  # in progress: not the dispatcher's to triage
        ("admin", 200, False),
        ("handler", 200, True),
        ("handler_colleague", 200, True),
        ("head", 200, True),
        ("co_handler", 200, True),
        ("other_handler", 200, False),
        ("other_head", 200, False),
        ("owner", 403, False),
        ("leader", 403, False),
    ],
)
def test_inbox_per_role(client, world, who, status, listed):
    response = _get(client, world, who, "/appeals/inbox/")
    assert response.status_code == status
    assert (f'data-appeal="{world.appeal.pk}"' in response.content.decode()) is listed


def test_dispatcher_inbox_lists_new_appeals(client, world):
    fresh = appeal_in("submitted", entrepreneur=world.owner)
    html = _get(client, world, "dispatcher", "/appeals/inbox/").content.decode()
    assert f'data-appeal="{fresh.pk}"' in html


@pytest.fixture
def extension(world):
    services.appeal_extend(
        appeal=world.appeal,
        actor=world.handler,
        due_date=world.appeal.due_date.replace(year=world.appeal.due_date.year + 1),
        reason="需要省里批复",
    )
    return world.appeal.extensions.get()


@pytest.mark.parametrize(
    ("who", "status", "listed"),
    [
        ("head", 200, True),
        ("dispatcher", 200, True),
        ("admin", 200, True),
        ("other_head", 200, False),
        ("handler", 403, False),
        ("co_handler", 403, False),
        ("owner", 403, False),
        ("leader", 403, False),
    ],
)
def test_extensions_page_per_role(client, world, extension, who, status, listed):
    response = _get(client, world, who, "/appeals/extensions/")
    assert response.status_code == status
    assert (f'data-appeal="{world.appeal.pk}"' in response.content.decode()) is listed


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("colleague", 200),
        ("outsider", 200),
        ("dispatcher", 200),
        ("admin", 200),
        ("handler", 403),
        ("head", 403),
        ("leader", 403),
    ],
)
def test_new_appeal_page_per_role(client, world, who, status):
    assert _get(client, world, who, "/appeals/new/").status_code == status


def test_pending_member_sees_no_form_and_cannot_submit(client, world):
    client.force_login(world.pending)
    response = client.get("/appeals/new/")
    assert 'data-testid="no-enterprise"' in response.content.decode()
    response = client.post(
        "/appeals/new/",
        {
            "enterprise": world.owner.enterprise.pk,
            "category": world.appeal.category_id,
            "title": "未审核成员提交",
            "content": "内容",
        },
    )
    assert response.status_code == 400
    assert not world.owner.enterprise.appeals.filter(title="未审核成员提交").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dispatcher", 200),
        ("handler", 200),
        ("co_handler", 200),
        ("head", 200),
        ("other_handler", 404),
        ("owner", 403),
        ("leader", 403),
    ],
)
def test_deadline_preview_per_role(client, world, who, status):
    url = f"/appeals/deadline-preview/?appeal={world.appeal.pk}&for=extend&due_at=2099-01-05"
    assert _get(client, world, who, url).status_code == status


@pytest.mark.parametrize("who", ["owner", "outsider", "dispatcher", "handler", "leader"])
def test_category_guidance_for_every_signed_in_user(client, world, who):
    url = f"/appeals/category-guidance/?category={world.appeal.category_id}"
    response = _get(client, world, who, url)
    assert response.status_code == 200
    assert world.appeal.category.name in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/appeals/",
        "/appeals/new/",
        "/appeals/inbox/",
        "/appeals/extensions/",
        "/appeals/category-guidance/",
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_cannot_see_an_appeal_or_its_files(client, world):
    for url in (
        f"/appeals/{world.appeal.pk}/",
        f"/appeals/{world.appeal.pk}/files/{world.attachment.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
