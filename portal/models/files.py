"""Stored files: the abstract base every app's file model inherits, and a generic attachment."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    # The stored name is random: the original (sanitised) name is kept in ``name``.
    return f"{instance.storage_folder}/{timezone.now():%Y/%m}/{instance.token}"


class StoredFile(models.Model):
    """A file checked by ``portal.files`` and kept under MEDIA_ROOT, outside ``static/``."""

    # The first folder under MEDIA_ROOT; each concrete model may name its own.
    storage_folder = "files"

    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class AttachmentQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model):
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )


class Attachment(StoredFile):
    """A file attached to any record; who may read it is whoever may see that record."""

    # ``content_type`` is the file's MIME type (from ``StoredFile``), so the link is ``target_*``.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    target_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("target_type", "target_id")

    objects = AttachmentQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "uploaded_at"],
                name="attachment_target",
            )
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:attachment", args=[self.pk])
