"""Attachments: the type is checked by content, names are sanitised, storage is private."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from enterprises import services
from enterprises.models import Appeal, Attachment
from enterprises.services.attachments import sanitize_name, validate_upload
from tests.factories import category


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in their English source form."""
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (
            "plan.docx",
            ooxml("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "figures.xlsx",
            ooxml("xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "application/msword"),
    ],
)
def test_real_files_pass(name, content, content_type):
    assert validate_upload(SimpleUploadedFile(name, content))[1] == content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "not really"),
        ("virus.exe", b"MZ\x90\x00", "only PDF"),
        ("page.html", b"<html></html>", "only PDF"),
        ("noext", PDF, "only PDF"),
        ("image.png", PDF, "not really"),
        ("sheet.xlsx", ooxml("word/"), "not really"),  # a Word file renamed
        ("broken.docx", b"PK\x03\x04garbage", "not really"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_wrong_content_is_refused(name, content, message):
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in exc.value.messages[0]


def test_size_limit_is_configurable(settings):
    settings.APPEAL_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        validate_upload(pdf(content=PDF + b" " * 200))
    assert "larger than" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\报告.PDF", "报告.pdf"),
        ('<img src=x onerror="alert(1)">.png', "_img src=x onerror=_alert(1)__.png"),
        ("a\x00b\r\n.pdf", "a_b__.pdf"),
        ("...", "file"),
    ],
)
def test_names_are_sanitised(raw, clean):
    assert sanitize_name(raw) == clean


@pytest.mark.django_db
def test_files_are_stored_privately_with_a_random_name(settings, tmp_path, entrepreneur):
    settings.MEDIA_ROOT = tmp_path / "media"
    appeal = services.appeal_submit(
        actor=entrepreneur,
        enterprise=entrepreneur.enterprise,
        title="t",
        content="c",
        category=category(),
        files=[pdf("../合同.pdf")],
    )
    attachment = Attachment.objects.get(appeal=appeal)
    assert attachment.name == "合同.pdf" and attachment.content_type == "application/pdf"
    stored = tmp_path / "media" / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "合同" not in attachment.file.name and "static" not in str(stored)
    assert attachment.event.action == "submit" and len(attachment.sha256) == 64


@pytest.mark.django_db
def test_one_bad_file_stores_nothing(settings, tmp_path, entrepreneur):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as exc:
        services.appeal_submit(
            actor=entrepreneur,
            enterprise=entrepreneur.enterprise,
            title="t",
            content="c",
            category=category(),
            files=[pdf("ok.pdf"), pdf("bad.pdf", b"not a pdf")],
        )
    assert "files" in exc.value.message_dict
    assert not Appeal.objects.exists() and not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_at_most_five_files_a_step(settings, tmp_path, entrepreneur):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        services.appeal_submit(
            actor=entrepreneur,
            enterprise=entrepreneur.enterprise,
            title="t",
            content="c",
            category=category(),
            files=[pdf(f"{i}.pdf") for i in range(6)],
        )
