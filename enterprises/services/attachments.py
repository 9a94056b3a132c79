"""Files on appeals: checked by their content and stored safely by ``portal.files``; what is the
appeal's own here is the limits (size, files per step) and that a file belongs to a step."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError

from enterprises.models import Appeal, AppealEvent, Attachment
from portal import files
from portal.files import ALLOWED, sanitize_name, store_upload
from portal.models import User

__all__ = ["ALLOWED", "attachments_add", "sanitize_name", "validate_upload", "validate_uploads"]


def validate_upload(upload) -> tuple[str, str]:
    """Check one uploaded file; return its sanitised name and MIME type, or raise."""
    checked = files.check_upload(upload, max_bytes=settings.APPEAL_ATTACHMENT_MAX_BYTES)
    return checked.name, checked.content_type


def validate_uploads(uploads: Sequence) -> list[files.CheckedUpload]:
    """Check a step's files together, with every problem reported under ``files``."""
    try:
        return files.check_uploads(
            uploads,
            max_count=settings.APPEAL_ATTACHMENTS_PER_STEP,
            max_bytes=settings.APPEAL_ATTACHMENT_MAX_BYTES,
        )
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc


def attachments_add(
    *, appeal: Appeal, actor: User, files: Sequence, event: AppealEvent | None = None
) -> list[Attachment]:
    """Store ``files`` on ``appeal`` (inside the caller's transaction); all or nothing."""
    uploads = list(files or ())
    if not uploads:
        return []
    checked = validate_uploads(uploads)
    return [
        store_upload(Attachment(appeal=appeal, event=event), upload, actor=actor, checked=result)
        for upload, result in zip(uploads, checked, strict=True)
    ]
