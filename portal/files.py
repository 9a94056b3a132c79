"""Uploaded files checked by their content, renamed safely and stored outside ``static/``.

The checks are the same for every app: the extension must be one that is allowed, the first bytes
must say the file really is of that kind (a page renamed ``.pdf`` is refused), the size must be
within the limit, and the name kept for display has no path or control characters. Each file is
stored under a random name, so a user's name never reaches the file system.
"""

import hashlib
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Types a browser may show in place; everything else is sent as a download.
INLINE_TYPES = IMAGE_TYPES | {"application/pdf"}
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


@dataclass(frozen=True)
class CheckedUpload:
    """What the checks found out about one file."""

    name: str
    content_type: str
    size: int


def sniff(head: bytes) -> str | None:
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


def storage_token() -> str:
    """A random name to store a file under (the user's name is kept only for display)."""
    return secrets.token_hex(16)


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check_upload(
    upload, *, max_bytes: int | None = None, allowed: Mapping[str, str] | None = None
) -> CheckedUpload:
    """Check one uploaded file by its content; return its safe name, type and size, or raise.

    ``max_bytes`` defaults to ``settings.UPLOAD_MAX_BYTES``; ``allowed`` (extension → MIME type)
    to every type in ``ALLOWED``.
    """
    allowed = ALLOWED if allowed is None else allowed
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    name = sanitize_name(getattr(upload, "name", "") or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in allowed:
        if allowed is ALLOWED:
            message = _(
                "%(name)s: only PDF, images (PNG, JPEG, GIF, WebP) and Office files are accepted."
            ) % {"name": name}
        else:
            message = _("%(name)s: only these types are accepted: %(types)s.") % {
                "name": name,
                "types": ", ".join(f".{e}" for e in allowed),
            }
        raise ValidationError(message, code="type")
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="size",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _matches(extension, sniff(head), upload):
        raise ValidationError(
            _("%(name)s is not really a .%(extension)s file.")
            % {"name": name, "extension": extension},
            code="content",
        )
    return CheckedUpload(name=name, content_type=allowed[extension], size=upload.size)


def check_uploads(
    files: Sequence,
    *,
    max_count: int,
    max_bytes: int | None = None,
    allowed: Mapping[str, str] | None = None,
) -> list[CheckedUpload]:
    """Check files sent together; every problem is reported at once, as one list of messages."""
    files = list(files or ())
    errors = []
    if len(files) > max_count:
        errors.append(_("Attach at most %(count)d files at a time.") % {"count": max_count})
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload, max_bytes=max_bytes, allowed=allowed))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def store_upload(record, upload, *, actor, checked: CheckedUpload | None = None, **check):
    """Fill and save ``record`` (a ``portal.models.files.StoredFile``) from a checked upload.

    Call it inside the caller's transaction: the row and the stored file come together.
    """
    checked = checked or check_upload(upload, **check)
    record.token = storage_token()
    record.name = checked.name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = sha256_of(upload)
    record.uploaded_by = actor
    record.file.save(record.token, upload, save=False)
    record.save()
    return record


def file_response(stored) -> FileResponse:
    """Send a ``StoredFile`` back: images and PDFs open in the browser, anything else is a
    download; never sniffed, never cached. A file missing from the storage is a 404."""
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=stored.content_type not in INLINE_TYPES,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
