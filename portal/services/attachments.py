"""Files attached to any record (``portal.models.Attachment``)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from portal.files import store_upload
from portal.models import Attachment, User


@transaction.atomic
def attachment_add(
    *, obj: models.Model, upload, actor: User, max_bytes: int | None = None, allowed=None
) -> Attachment:
    """Check ``upload`` by its content and attach it to ``obj``; raise ``ValidationError`` if bad.

    The caller decides who may attach; who may read the file is whoever may see ``obj``.
    """
    attachment = Attachment(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )
    return store_upload(attachment, upload, actor=actor, max_bytes=max_bytes, allowed=allowed)
