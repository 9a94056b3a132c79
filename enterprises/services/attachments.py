"""Files on appeals: checked by their content, renamed safely, stored outside ``static/``."""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from enterprises.models import Appeal, AppealEvent, Attachment
from portal.models import User

# extension -> MIME type served back; the content must match the kind of the extension.
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _sniff(head: bytes) -> str | None:
    """The kind of file its first bytes say it is."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy Office: doc, xls, ppt
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _matches(extension: str, kind: str | None, upload) -> bool:
    if kind is None:
        return False
    if extension in ("jpg", "jpeg"):
        return kind == "jpeg"
    if extension in ("doc", "xls", "ppt"):
        return kind == "ole"
    if extension in OOXML_PART:
        if kind != "zip":
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return "[Content_Types].xml" in names and any(
            n.startswith(OOXML_PART[extension]) for n in names
        )
    return kind == extension


def sanitize_name(name: str) -> str:
    """A file name safe to show and to send in a header: no path, no control characters."""
    name = unicodedata.normalize("NFC", PurePath(str(name).replace("\\", "/")).name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*;]", "_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem[:100] or "file"
    return f"{stem}.{extension.lower()}" if extension else stem


def validate_upload(upload) -> tuple[str, str]:
    """Check one uploaded file; return its sanitised name and MIME type, or raise."""
    name = sanitize_name(getattr(upload, "name", "") or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _("%(name)s: only PDF, images (PNG, JPEG, GIF, WebP) and Office files are accepted.")
            % {"name": name}
        )
    limit = settings.APPEAL_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _matches(extension, _sniff(head), upload):
        raise ValidationError(
            _("%(name)s is not really a .%(extension)s file.")
            % {"name": name, "extension": extension}
        )
    return name, ALLOWED[extension]


def validate_uploads(files: Sequence) -> None:
    """Check a step's files together, with every problem reported under ``files``."""
    files = list(files or ())
    errors = []
    if len(files) > settings.APPEAL_ATTACHMENTS_PER_STEP:
        errors.append(
            _("Attach at most %(count)d files at a time.")
            % {"count": settings.APPEAL_ATTACHMENTS_PER_STEP}
        )
    for upload in files:
        try:
            validate_upload(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})


def attachments_add(
    *, appeal: Appeal, actor: User, files: Sequence, event: AppealEvent | None = None
) -> list[Attachment]:
    """Store ``files`` on ``appeal`` (inside the caller's transaction); all or nothing."""
    files = list(files or ())
    if not files:
        return []
    validate_uploads(files)
    stored = []
    for upload in files:
        name, content_type = validate_upload(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            appeal=appeal,
            event=event,
            token=secrets.token_hex(16),
            name=name,
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save(attachment.token, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored
