"""Files, timeline and tags of the shared core, on a record of the core itself (a department)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.loader import render_to_string

from portal.files import check_upload
from portal.models import (
    Attachment,
    Department,
    Notification,
    Tag,
    TagCategory,
    TimelineEntry,
    User,
)
from portal.services.attachments import attachment_add
from portal.services.tags import tags_set
from portal.tags import with_tags
from portal.timeline import timeline_record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def test_a_spoofed_extension_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("fake.pdf", b"<html><script></script></html>"))
    assert check_upload(SimpleUploadedFile("a.pdf", PDF)).content_type == "application/pdf"


def test_attachment_is_stored_on_any_record(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("u1", password="x", role="leader")
    department = Department.objects.create(name="测试部门")
    attachment = attachment_add(
        obj=department, upload=SimpleUploadedFile("材料.pdf", PDF), actor=user
    )
    assert Attachment.objects.for_object(department).get() == attachment
    assert attachment.target == department
    assert "材料" not in attachment.file.name


def test_timeline_is_append_only_and_needs_a_transaction():
    department = Department.objects.create(name="测试部门")
    with transaction.atomic():
        entry = timeline_record(department, actor=None, kind="created", data={"a": 1})
    entry.message = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        TimelineEntry.objects.all().update(message="x")


def test_tag_filter_any_and_all():
    category = TagCategory.objects.create(name="类别")
    red, blue = (
        Tag.objects.create(category=category, name="红"),
        Tag.objects.create(category=category, name="蓝"),
    )
    both, only_red, none = (
        Department.objects.create(name=n, code=c)
        for n, c in (("甲", "t1"), ("乙", "t2"), ("丙", "t3"))
    )
    tags_set(both, [red, blue], actor=None)
    tags_set(only_red, [red], actor=None)
    qs = Department.objects.filter(pk__in=[both.pk, only_red.pk, none.pk])
    assert set(with_tags(qs, [red.pk, blue.pk], match="all")) == {both}
    assert set(with_tags(qs, [red.pk, blue.pk], match="any")) == {both, only_red}


# --- downloading a generic attachment: whoever may see the record -----------------------------


@pytest.fixture
def attached(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    department = Department.objects.create(name="测试部门")
    owner = User.objects.create_user("owner", password="x", role="handler", department=department)
    colleague = User.objects.create_user(
        "colleague", password="x", role="handler", department=department
    )
    outsider = User.objects.create_user("outsider", password="x", role="entrepreneur")
    note = Notification.objects.create(recipient=owner, kind="test", title="材料")
    attachment = attachment_add(obj=note, upload=SimpleUploadedFile("材料.pdf", PDF), actor=owner)
    return attachment, owner, colleague, outsider


def test_the_owner_of_the_record_downloads_its_file(client, attached):
    attachment, owner, _, _ = attached
    client.force_login(owner)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_who_cannot_see_the_record_gets_404(client, attached, who):
    attachment, _, colleague, outsider = attached
    client.force_login(colleague if who == "colleague" else outsider)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_log_in(client, attached):
    attachment = attached[0]
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_record_without_scoping_shows_its_files_to_nobody(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    admin = User.objects.create_superuser("root", password="x")
    category = TagCategory.objects.create(name="类别")
    attachment = attachment_add(obj=category, upload=SimpleUploadedFile("a.pdf", PDF), actor=admin)
    client.force_login(admin)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get("/files/999999/").status_code == 404


def test_a_file_missing_from_storage_is_404(client, attached):
    attachment, owner, _, _ = attached
    attachment.file.delete(save=False)
    client.force_login(owner)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_the_attachments_include_lists_any_records_files(attached):
    attachment, owner, _, _ = attached
    html = render_to_string("portal/_attachments.html", {"object": attachment.target})
    assert attachment.get_absolute_url() in html and "材料.pdf" in html
    assert "style=" not in html
    assert render_to_string("portal/_attachments.html", {"object": None}).strip() == ""


def test_the_timeline_include_renders_any_records_entries():
    from portal.models.timeline import register_timeline_kinds

    register_timeline_kinds(renamed="改名")
    user = User.objects.create_user("u1", password="x", role="leader", name="王五")
    department = Department.objects.create(name="测试部门")
    with transaction.atomic():
        timeline_record(department, actor=user, kind="renamed", message="新<名>")
        timeline_record(department, actor=None, kind="unlisted")
    html = render_to_string("portal/_timeline.html", {"object": department})
    assert html.count('data-testid="timeline-event"') == 2
    assert "改名" in html and "王五" in html and "新&lt;名&gt;" in html
    assert 'data-action="unlisted"' in html
    assert "style=" not in html and "<script" not in html
    empty = render_to_string(
        "portal/_timeline.html", {"object": Department.objects.create(name="空", code="empty")}
    )
    assert 'data-testid="timeline-empty"' in empty
