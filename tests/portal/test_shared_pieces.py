"""Files, timeline and tags of the shared core, on a record of the core itself (a department)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from portal.files import check_upload
from portal.models import Attachment, Department, Tag, TagCategory, TimelineEntry, User
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
