"""Append-only timelines: the abstract base every app's event model inherits, and a generic one."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "Timeline events are append-only."

# kind -> label of ``TimelineEntry`` kinds, filled by the apps that write them
# (``register_timeline_kinds``); an unknown kind shows as itself.
TIMELINE_KINDS: dict[str, str] = {}


def register_timeline_kinds(**labels) -> None:
    TIMELINE_KINDS.update(labels)


class TimelineEventQuerySet(models.QuerySet):
    """Rows are only ever added: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)


class TimelineEntryQuerySet(TimelineEventQuerySet):
    def for_object(self, obj: models.Model):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class TimelineEvent(models.Model):
    """One step in a record's history: who did it and when. Saved once, never changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)

    # What ``templates/portal/_timeline.html`` shows of a step; each event model says it in its
    # own terms.
    @property
    def timeline_kind(self) -> str:
        return ""

    @property
    def timeline_title(self) -> str:
        return str(self)

    @property
    def timeline_text(self) -> str:
        return ""


class TimelineEntry(TimelineEvent):
    """A step in the history of any record that has no event model of its own."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=60)
    message = models.TextField(_("message"), blank=True)

    objects = TimelineEntryQuerySet.as_manager()

    class Meta(TimelineEvent.Meta):
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [
            models.Index(fields=["content_type", "object_id", "at", "id"], name="timeline_target")
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.kind}"

    @property
    def timeline_kind(self) -> str:
        return self.kind

    @property
    def timeline_title(self) -> str:
        return str(TIMELINE_KINDS.get(self.kind, self.kind))

    @property
    def timeline_text(self) -> str:
        return self.message
