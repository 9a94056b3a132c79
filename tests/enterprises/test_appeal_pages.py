"""The appeal pages at work: every action through its form, bad input, conflicts, files, lists."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enterprises import services
from enterprises.models import Appeal, AppealEvent, Extension, RepeatCandidate
from portal.workdays import add_working_days
from tests.factories import DepartmentFactory, UserFactory, appeal_in, category

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, not the project's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def events(appeal):
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("action", flat=True))


def field_error(html: str, field_id: str) -> str:
    """The error text crispy renders right under the field with this id."""
    match = re.search(rf'id="error_\d+_{field_id}"[^>]*>\s*<strong>(.*?)</strong>', html, re.S)
    assert match, f"no error next to {field_id}"
    return match.group(1)


@pytest.fixture
def in_progress(entrepreneur, dispatcher, handler):
    return appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )


# --- submission -------------------------------------------------------------------------------


def test_entrepreneur_submits_an_appeal_with_files(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(
        "/appeals/new/",
        {
            "enterprise": entrepreneur.enterprise.pk,
            "category": category().pk,
            "title": "厂房消防验收",
            "content": "验收排期过久\n请协调",
            "files": [pdf("消防图纸.pdf"), pdf("申请表.pdf")],
        },
    )
    appeal = Appeal.objects.get(title="厂房消防验收")
    assert response.status_code == 302
    assert response["Location"] == f"/appeals/{appeal.pk}/"
    assert appeal.source == "platform"
    assert sorted(appeal.attachments.values_list("name", flat=True)) == [
        "消防图纸.pdf",
        "申请表.pdf",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "验收排期过久<br>请协调" in page
    assert page.count('data-testid="attachment-link"') >= 2


def test_submission_errors_sit_next_to_their_fields_and_save_nothing(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(
        "/appeals/new/",
        {"enterprise": entrepreneur.enterprise.pk, "category": "", "title": " ", "content": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("category", "title", "content"):
        assert field_error(html, f"id_{field}")
    assert not Appeal.objects.exists()


def test_wrong_file_type_is_refused_with_a_message(client, entrepreneur):
    client.force_login(entrepreneur)
    fake = SimpleUploadedFile("报表.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(
        "/appeals/new/",
        {
            "enterprise": entrepreneur.enterprise.pk,
            "category": category().pk,
            "title": "附件类型",
            "content": "内容",
            "files": [fake, exe],
        },
    )
    assert response.status_code == 400
    message = field_error(response.content.decode(), "id_files")
    assert "报表.pdf" in message
    assert not Appeal.objects.exists()


def test_too_many_files_are_refused(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(
        "/appeals/new/",
        {
            "enterprise": entrepreneur.enterprise.pk,
            "category": category().pk,
            "title": "附件太多",
            "content": "内容",
            "files": [pdf(f"{n}.pdf") for n in range(6)],
        },
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_files")
    assert not Appeal.objects.exists()


def test_entrepreneur_cannot_submit_for_another_enterprise(client, entrepreneur):
    from tests.factories import EnterpriseFactory

    other = EnterpriseFactory()
    client.force_login(entrepreneur)
    response = client.post(
        "/appeals/new/",
        {"enterprise": other.pk, "category": category().pk, "title": "冒名", "content": "内容"},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_enterprise")
    assert not Appeal.objects.exists()


def test_entrepreneur_page_lists_only_their_verified_enterprises(client, entrepreneur):
    from tests.factories import EnterpriseFactory

    other = EnterpriseFactory()
    client.force_login(entrepreneur)
    html = client.get("/appeals/new/").content.decode()
    assert entrepreneur.enterprise.name in html
    assert other.name not in html
    assert 'name="source"' not in html


def test_dispatcher_records_a_hotline_appeal_with_the_enterprise_picker(client, dispatcher):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory()
    bystander = EnterpriseFactory()
    client.force_login(dispatcher)
    html = client.get("/appeals/new/").content.decode()
    assert "/enterprises/search/" in html  # search as you type …
    assert bystander.name not in html  # … never a dropdown of every enterprise
    response = client.post(
        "/appeals/new/",
        {
            "enterprise": enterprise.pk,
            "source": "hotline",
            "category": category().pk,
            "title": "热线反映用电问题",
            "content": "企业致电反映用电容量不足",
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.enterprise, appeal.source, appeal.submitted_by) == (
        enterprise,
        "hotline",
        dispatcher,
    )


def test_dispatcher_form_keeps_the_chosen_enterprise_after_an_error(client, dispatcher):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(name="衢州回显测试有限公司")
    client.force_login(dispatcher)
    response = client.post(
        "/appeals/new/",
        {"enterprise": enterprise.pk, "source": "platform", "category": category().pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "衢州回显测试有限公司" in html
    assert field_error(html, "id_source")
    assert field_error(html, "id_title")


def test_category_guidance_fragment(client, entrepreneur):
    cat = category()
    cat.guidance = "请附上贷款合同<b>和</b>银行意见"
    cat.save()
    client.force_login(entrepreneur)
    html = client.get(f"/appeals/category-guidance/?category={cat.pk}").content.decode()
    assert "请附上贷款合同&lt;b&gt;和&lt;/b&gt;银行意见" in html
    assert str(cat.handle_days) in html
    empty = client.get("/appeals/category-guidance/?category=abc").content.decode()
    assert 'data-category="' not in empty


# --- the dispatcher's steps -------------------------------------------------------------------


def test_dispatcher_accepts_from_the_inbox_and_returns_there(client, entrepreneur, dispatcher):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(dispatcher)
    response = client.post(
        f"/appeals/{appeal.pk}/accept/", {"next": "/appeals/inbox/?tab=new"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/appeals/inbox/?tab=new"
    appeal.refresh_from_db()
    assert appeal.status == "accepted"
    assert 'class="alert alert-success' in response.content.decode()


def test_next_pointing_elsewhere_is_ignored(client, entrepreneur, dispatcher):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(dispatcher)
    response = client.post(f"/appeals/{appeal.pk}/accept/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/appeals/{appeal.pk}/"


def test_reject_needs_a_reason_next_to_the_field(client, entrepreneur, dispatcher):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(dispatcher)
    response = client.post(f"/appeals/{appeal.pk}/reject/", {"reject-reason": "  "})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_reject-reason")
    appeal.refresh_from_db()
    assert appeal.status == "submitted"
    response = client.post(f"/appeals/{appeal.pk}/reject/", {"reject-reason": "不属于受理范围"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "rejected"


def test_dispatcher_assigns_with_co_handling_shorter_deadline_and_priority(
    client, entrepreneur, dispatcher, handler
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    co = DepartmentFactory()
    due = add_working_days(timezone.localdate(), 5)
    client.force_login(dispatcher)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'data-testid="deadline-preview"' in page  # the category's limit, shown at once
    response = client.post(
        f"/appeals/{appeal.pk}/assign/",
        {
            "assign-department": handler.department.pk,
            "assign-co_departments": [co.pk],
            "assign-due_at": due.isoformat(),
            "assign-priority": "1",
            "assign-note": "请尽快",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "assigned"
    assert appeal.lead_department == handler.department
    assert appeal.due_date == due
    assert appeal.priority == 1
    assert list(appeal.co_handlings.values_list("department", flat=True)) == [co.pk]


def test_assign_past_deadline_and_same_co_department_are_refused(
    client, entrepreneur, dispatcher, handler
):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    client.force_login(dispatcher)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/appeals/{appeal.pk}/assign/",
        {"assign-department": handler.department.pk, "assign-due_at": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_assign-due_at")
    response = client.post(
        f"/appeals/{appeal.pk}/assign/",
        {
            "assign-department": handler.department.pk,
            "assign-co_departments": [handler.department.pk],
        },
    )
    assert response.status_code == 400
    assert "co_departments" in response.content.decode()
    response = client.post(f"/appeals/{appeal.pk}/assign/", {"assign-department": "999999"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_assign-department")
    appeal.refresh_from_db()
    assert appeal.status == "accepted"
    assert events(appeal) == ["submit", "accept"]


def test_assign_beyond_the_category_limit_is_refused(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    client.force_login(dispatcher)
    late = add_working_days(timezone.localdate(), 40)
    response = client.post(
        f"/appeals/{appeal.pk}/assign/",
        {"assign-department": handler.department.pk, "assign-due_at": late.isoformat()},
    )
    assert response.status_code == 400
    assert "融资信贷" in field_error(response.content.decode(), "id_assign-due_at")
    appeal.refresh_from_db()
    assert appeal.status == "accepted"


def test_deadline_preview_counts_working_days(client, entrepreneur, dispatcher):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    client.force_login(dispatcher)
    today = timezone.localdate()
    default = client.get(f"/appeals/deadline-preview/?appeal={appeal.pk}&for=assign")
    limit = add_working_days(today, category().handle_days)
    assert f'data-date="{limit.isoformat()}"' in default.content.decode()
    assert f'data-days="{category().handle_days}"' in default.content.decode()
    chosen = add_working_days(today, 3)
    html = client.get(
        f"/appeals/deadline-preview/?appeal={appeal.pk}&for=assign&assign-due_at={chosen}"
    ).content.decode()
    assert f'data-date="{chosen.isoformat()}"' in html
    assert 'data-days="3"' in html
    bad = client.get(
        f"/appeals/deadline-preview/?appeal={appeal.pk}&for=assign&assign-due_at=2020-13-45"
    )
    assert bad.status_code == 200
    assert "YYYY-MM-DD" in bad.content.decode()
    past = client.get(
        f"/appeals/deadline-preview/?appeal={appeal.pk}&assign-due_at={today - timedelta(days=3)}"
    ).content.decode()
    assert "border-danger" in past


def test_merge_and_link_with_repeat_candidates_from_the_inbox(client, entrepreneur, dispatcher):
    first = appeal_in("submitted", entrepreneur=entrepreneur, title="园区道路破损严重")
    second = appeal_in("submitted", entrepreneur=entrepreneur, title="园区道路破损严重")
    third = appeal_in("submitted", entrepreneur=entrepreneur, title="园区道路破损严重")
    assert RepeatCandidate.objects.filter(appeal=second, candidate=first).exists()
    client.force_login(dispatcher)
    inbox = client.get("/appeals/inbox/").content.decode()
    assert 'data-testid="repeat-candidates"' in inbox
    assert first.number in inbox
    response = client.post(
        f"/appeals/{second.pk}/merge/",
        {"merge-into": first.number, "next": "/appeals/inbox/"},
    )
    assert response["Location"] == "/appeals/inbox/"
    second.refresh_from_db()
    assert (second.status, second.merged_into) == ("closed", first)
    response = client.post(f"/appeals/{third.pk}/link/", {"link-other": first.number.lower()})
    assert response.status_code == 302
    assert first in third.linked.all()
    detail = client.get(f"/appeals/{first.pk}/").content.decode()
    assert second.number in detail and third.number in detail


def test_merge_with_an_unknown_number_is_an_error_next_to_the_field(
    client, entrepreneur, dispatcher
):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(dispatcher)
    response = client.post(f"/appeals/{appeal.pk}/merge/", {"merge-into": "QH-1999-000001"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_merge-into")
    response = client.post(f"/appeals/{appeal.pk}/merge/", {"merge-into": appeal.number})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_merge-into")
    appeal.refresh_from_db()
    assert appeal.status == "submitted"


# --- the department's steps -------------------------------------------------------------------


def test_handler_signs_from_the_inbox(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    client.force_login(handler)
    inbox = client.get("/appeals/inbox/").content.decode()
    assert f'action="/appeals/{appeal.pk}/sign/"' in inbox
    response = client.post(f"/appeals/{appeal.pk}/sign/", {"next": "/appeals/inbox/"})
    assert response["Location"] == "/appeals/inbox/"
    appeal.refresh_from_db()
    assert appeal.status == "in_progress"


def test_handler_asks_the_enterprise_answers_with_a_file(
    client, in_progress, handler, entrepreneur
):
    client.force_login(handler)
    response = client.post(
        f"/appeals/{in_progress.pk}/request-info/", {"request_info-question": ""}
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_request_info-question")
    client.post(f"/appeals/{in_progress.pk}/request-info/", {"request_info-question": "请补充合同"})
    in_progress.refresh_from_db()
    assert in_progress.awaiting_info

    client.force_login(entrepreneur)
    page = client.get(f"/appeals/{in_progress.pk}/").content.decode()
    assert 'data-testid="open-question"' in page and "请补充合同" in page
    response = client.post(
        f"/appeals/{in_progress.pk}/provide_info/",
        {"provide_info-content": "合同见附件", "provide_info-files": [pdf("合同.pdf")]},
    )
    assert response.status_code == 302
    in_progress.refresh_from_db()
    assert not in_progress.awaiting_info
    assert in_progress.attachments.get().name == "合同.pdf"


def test_handler_replies_with_a_file_and_bad_file_changes_nothing(client, in_progress, handler):
    client.force_login(handler)
    bad = SimpleUploadedFile("答复.docx", b"not a zip", content_type="application/msword")
    response = client.post(
        f"/appeals/{in_progress.pk}/reply/",
        {"reply-content": "已协调", "reply-files": [bad]},
    )
    assert response.status_code == 400
    assert "答复.docx" in field_error(response.content.decode(), "id_reply-files")
    in_progress.refresh_from_db()
    assert in_progress.status == "in_progress"
    response = client.post(
        f"/appeals/{in_progress.pk}/reply/",
        {"reply-content": "已协调银行续贷", "reply-files": [pdf("答复函.pdf")]},
    )
    assert response.status_code == 302
    in_progress.refresh_from_db()
    assert in_progress.status == "replied"
    assert in_progress.attachments.get().event.action == "reply"


def test_handler_returns_a_misrouted_appeal(client, in_progress, handler):
    client.force_login(handler)
    response = client.post(f"/appeals/{in_progress.pk}/return/", {"return-reason": ""})
    assert response.status_code == 400
    response = client.post(
        f"/appeals/{in_progress.pk}/return/", {"return-reason": "应由住建局办理"}
    )
    assert response.status_code == 302
    in_progress.refresh_from_db()
    assert (in_progress.status, in_progress.lead_department) == ("accepted", None)


def test_extension_asked_then_approved_by_the_head_on_the_extensions_page(
    client, in_progress, handler
):
    head = UserFactory(role="department_head", department=handler.department)
    client.force_login(handler)
    too_early = in_progress.due_date - timedelta(days=1)
    response = client.post(
        f"/appeals/{in_progress.pk}/extend/",
        {"extend-due_at": too_early.isoformat(), "extend-reason": "需要更多时间"},
    )
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_extend-due_at")
    later = add_working_days(in_progress.due_date, 5)
    response = client.post(
        f"/appeals/{in_progress.pk}/extend/",
        {"extend-due_at": later.isoformat(), "extend-reason": "需省厅批复"},
    )
    assert response.status_code == 302

    client.force_login(head)
    page = client.get("/appeals/extensions/").content.decode()
    assert 'data-testid="extension-row"' in page and "需省厅批复" in page
    response = client.post(
        f"/appeals/{in_progress.pk}/approve-extension/", {"next": "/appeals/extensions/"}
    )
    assert response["Location"] == "/appeals/extensions/"
    in_progress.refresh_from_db()
    assert (in_progress.due_date, in_progress.extended) == (later, True)


def test_extension_declined_needs_a_reason(client, in_progress, handler, dispatcher):
    services.appeal_extend(
        appeal=in_progress,
        actor=handler,
        due_date=add_working_days(in_progress.due_date, 3),
        reason="需要时间",
    )
    client.force_login(dispatcher)
    response = client.post(f"/appeals/{in_progress.pk}/decline_extension/", {})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_decline_extension-note")
    assert Extension.objects.get().status == "pending"
    client.post(f"/appeals/{in_progress.pk}/decline_extension/", {"decline_extension-note": "不批"})
    assert Extension.objects.get().status == "declined"


def test_co_handling_department_submits_its_part(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    co = DepartmentFactory()
    services.appeal_assign(
        appeal=appeal, actor=dispatcher, department=handler.department, co_departments=[co]
    )
    co_handler = UserFactory(role="handler", department=co)
    client.force_login(co_handler)
    inbox = client.get("/appeals/inbox/").content.decode()
    assert f'data-appeal="{appeal.pk}"' in inbox
    response = client.post(
        f"/appeals/{appeal.pk}/submit_part/", {"submit_part-content": "我局意见：同意"}
    )
    assert response.status_code == 302
    part = appeal.co_handlings.get()
    assert part.part == "我局意见：同意" and part.submitted_by == co_handler
    response = client.post(f"/appeals/{appeal.pk}/submit_part/", {"submit_part-content": "再交"})
    assert response.status_code == 302  # conflict: a warning, nothing changed
    part.refresh_from_db()
    assert part.part == "我局意见：同意"


# --- the enterprise's rating, the leader, the call-back ---------------------------------------


def test_dissatisfied_needs_a_comment_and_sends_it_back(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    client.force_login(entrepreneur)
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'data-testid="rate-prompt"' in page
    response = client.post(f"/appeals/{appeal.pk}/rate/", {"rate-rating": "dissatisfied"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "id_rate-comment")
    response = client.post(f"/appeals/{appeal.pk}/rate/", {"rate-rating": "excellent"})
    assert response.status_code == 400
    appeal.refresh_from_db()
    assert appeal.status == "replied"
    client.post(
        f"/appeals/{appeal.pk}/rate/",
        {"rate-rating": "dissatisfied", "rate-comment": "续贷仍未办理"},
    )
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rehandle_count) == ("in_progress", 1)


def test_leader_supervises_and_the_appeal_is_marked(client, in_progress, leader):
    client.force_login(leader)
    response = client.post(f"/appeals/{in_progress.pk}/supervise/", {"supervise-note": ""})
    assert response.status_code == 400
    client.post(f"/appeals/{in_progress.pk}/supervise/", {"supervise-note": "请本周内办结"})
    in_progress.refresh_from_db()
    assert in_progress.is_supervised and in_progress.priority == 2
    listing = client.get("/appeals/?supervised=true").content.decode()
    assert 'data-testid="supervised-badge"' in listing
    assert (
        'data-testid="supervised-badge"'
        in client.get(f"/appeals/{in_progress.pk}/").content.decode()
    )


def test_dispatcher_records_a_call_back(client, entrepreneur, dispatcher, handler):
    appeal = appeal_in("closed", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    client.force_login(dispatcher)
    client.post(
        f"/appeals/{appeal.pk}/callback/",
        {"callback-rating": "basically_satisfied", "callback-note": "电话回访"},
    )
    appeal.refresh_from_db()
    assert appeal.callback_rating == "basically_satisfied"


# --- conflicts, htmx, escaping ----------------------------------------------------------------


def test_a_stale_action_shows_a_warning_and_changes_nothing(client, entrepreneur, dispatcher):
    appeal = appeal_in("submitted", entrepreneur=entrepreneur)
    other_dispatcher = UserFactory(role="dispatcher")
    services.appeal_accept(appeal=appeal, actor=other_dispatcher)  # someone else was quicker
    client.force_login(dispatcher)
    response = client.post(f"/appeals/{appeal.pk}/reject/", {"reject-reason": "重复"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/appeals/{appeal.pk}/"
    assert 'class="alert alert-warning' in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "accepted"
    assert events(appeal) == ["submit", "accept"]


def test_htmx_errors_come_back_as_the_panel_only(client, in_progress, handler):
    client.force_login(handler)
    response = client.post(
        f"/appeals/{in_progress.pk}/reply/",
        {"reply-content": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="action-reply",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<details")
    assert 'id="action-reply"' in html and " open" in html
    assert field_error(html, "id_reply-content")
    assert "<html" not in html


def test_htmx_success_redirects_the_whole_page(client, in_progress, handler):
    client.force_login(handler)
    response = client.post(
        f"/appeals/{in_progress.pk}/reply/",
        {"reply-content": "已办结"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="action-reply",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/appeals/{in_progress.pk}/"


def test_scripts_in_title_content_and_reply_are_shown_escaped(
    client, entrepreneur, dispatcher, handler
):
    appeal = appeal_in(
        "in_progress",
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        title=f"标题{SCRIPT}",
        content=f"内容{SCRIPT}\n第二行",
    )
    services.appeal_reply(appeal=appeal, actor=handler, content=f"答复{SCRIPT}")
    for user, url in (
        (entrepreneur, f"/appeals/{appeal.pk}/"),
        (entrepreneur, "/appeals/"),
        (entrepreneur, "/"),
        (dispatcher, "/appeals/"),
        (handler, f"/appeals/{appeal.pk}/"),
    ):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert ESCAPED in html, url


# --- attachments --------------------------------------------------------------------------------


def test_download_has_the_bytes_and_safe_headers(client, entrepreneur, dispatcher):
    appeal = services.appeal_submit(
        actor=entrepreneur,
        enterprise=entrepreneur.enterprise,
        title="附件下载",
        content="内容",
        category=category(),
        files=[pdf("营业执照 副本.pdf"), SimpleUploadedFile("现场.png", PNG), _docx()],
    )
    by_name = {a.name: a for a in appeal.attachments.all()}
    client.force_login(entrepreneur)
    response = client.get(f"/appeals/{appeal.pk}/files/{by_name['营业执照 副本.pdf'].pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%E5%89%AF%E6%9C%AC.pdf" in (
        disposition
    )
    image = client.get(f"/appeals/{appeal.pk}/files/{by_name['现场.png'].pk}/")
    assert image["Content-Type"] == "image/png"
    document = client.get(f"/appeals/{appeal.pk}/files/{by_name['说明.docx'].pk}/")
    assert document["Content-Disposition"].startswith("attachment")
    assert document["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_download_outside_scope_is_404(client, entrepreneur, make_user):
    appeal = services.appeal_submit(
        actor=entrepreneur,
        enterprise=entrepreneur.enterprise,
        title="附件",
        content="内容",
        category=category(),
        files=[pdf()],
    )
    attachment = appeal.attachments.get()
    outsider = make_user(role="handler", department=DepartmentFactory())
    client.force_login(outsider)
    assert client.get(f"/appeals/{appeal.pk}/files/{attachment.pk}/").status_code == 404
    client.force_login(entrepreneur)
    assert client.get(f"/appeals/{appeal.pk}/files/{attachment.pk + 1000}/").status_code == 404


def _docx():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("说明.docx", buffer.getvalue())


# --- lists ------------------------------------------------------------------------------------


def test_list_filters_searches_sorts_and_paginates(client, entrepreneur, dispatcher, handler):
    closed = appeal_in(
        "closed", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler, title="已办结"
    )
    for n in range(26):
        appeal_in("submitted", entrepreneur=entrepreneur, title=f"批量诉求{n:02d}")
    client.force_login(dispatcher)
    first = client.get("/appeals/").content.decode()
    assert first.count('data-testid="appeal-row"') == 25
    second = client.get("/appeals/?page=2").content.decode()
    assert second.count('data-testid="appeal-row"') == 2
    only_closed = client.get("/appeals/?status=closed").content.decode()
    assert only_closed.count('data-testid="appeal-row"') == 1 and closed.number in only_closed
    search = client.get("/appeals/?q=批量诉求07").content.decode()
    assert search.count('data-testid="appeal-row"') == 1
    by_number = client.get(f"/appeals/?q={closed.number}").content.decode()
    assert by_number.count('data-testid="appeal-row"') == 1
    oldest = client.get("/appeals/?sort=submitted").content.decode()
    assert oldest.index(closed.number) < oldest.index("批量诉求00")
    by_due = client.get("/appeals/?sort=due").content.decode()
    assert by_due.index(closed.number) < by_due.index("批量诉求00")  # no deadline sorts last
    bad = client.get("/appeals/?sort=evil&page=abc&submitted_from=notadate")
    assert bad.status_code == 200


def test_handler_inbox_marks_overdue_and_due_soon(client, entrepreneur, dispatcher, handler):
    late = appeal_in(
        "in_progress", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    soon = appeal_in("assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler)
    today = timezone.localdate()
    Appeal.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=1))
    Appeal.objects.filter(pk=soon.pk).update(due_date=add_working_days(today, 1))
    client.force_login(handler)
    html = client.get("/appeals/inbox/").content.decode()
    assert 'data-due="overdue"' in html and 'data-due="due_soon"' in html
    assert 'data-testid="count-overdue"' in html and 'data-testid="count-due-soon"' in html
    assert html.index(late.number) < html.index(soon.number)  # most urgent first
    overdue_tab = client.get("/appeals/inbox/?tab=overdue").content.decode()
    assert late.number in overdue_tab and soon.number not in overdue_tab
    home = client.get("/").content.decode()
    assert 'data-testid="appeals-urgent"' in home and late.number in home


# --- home panels --------------------------------------------------------------------------------


def test_home_panels_per_role(client, entrepreneur, dispatcher, handler, leader):
    replied = appeal_in(
        "replied", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )
    new = appeal_in("submitted", entrepreneur=entrepreneur, title="新诉求待受理")
    services.appeal_supervise(appeal=replied, actor=leader, note="关注")

    client.force_login(entrepreneur)
    home = client.get("/").content.decode()
    waiting = home.split('data-testid="appeals-waiting"')[1].split("</ul>")[0]
    assert replied.number in waiting
    open_list = home.split('data-testid="appeals-open"')[1].split("</ul>")[0]
    assert new.number in open_list

    client.force_login(dispatcher)
    home = client.get("/").content.decode()
    assert new.number in home.split('data-testid="appeals-newest"')[1].split("</ul>")[0]

    client.force_login(leader)
    home = client.get("/").content.decode()
    assert replied.number in home.split('data-testid="appeals-supervised"')[1].split("</ul>")[0]

    head = UserFactory(role="department_head", department=handler.department)
    client.force_login(head)
    assert 'data-testid="appeal-panel"' in client.get("/").content.decode()


def test_menu_items_per_role(client, entrepreneur, dispatcher, handler, leader, admin_user):
    head = UserFactory(role="department_head", department=handler.department)
    expected = {
        entrepreneur: {"/appeals/", "/appeals/new/"},
        dispatcher: {"/appeals/inbox/", "/appeals/", "/appeals/stats/"},
        handler: {"/appeals/inbox/", "/appeals/"},
        head: {"/appeals/inbox/", "/appeals/", "/appeals/extensions/", "/appeals/stats/"},
        leader: {"/appeals/", "/appeals/stats/"},
        admin_user: {"/appeals/", "/appeals/stats/"},
    }
    for user, urls in expected.items():
        client.force_login(user)
        nav = client.get("/").context["nav_items"]
        assert {i["url"] for i in nav if i["url"].startswith("/appeals/")} == urls, user.role
    client.force_login(handler)
    nav = client.get("/appeals/inbox/").context["nav_items"]
    assert [i["url"] for i in nav if i["active"]] == ["/appeals/inbox/"]
