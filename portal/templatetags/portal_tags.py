"""Template tags for the shared pieces: any record's timeline, attachments and tags."""

from django import template

from portal.models import Attachment
from portal.timeline import timeline_for

register = template.Library()


@register.simple_tag
def timeline_of(obj) -> list:
    """``obj``'s generic timeline (``TimelineEntry``), oldest first."""
    return list(timeline_for(obj)) if obj is not None else []


@register.simple_tag
def attachments_of(obj) -> list:
    """The files attached to ``obj`` (``portal.models.Attachment``)."""
    if obj is None:
        return []
    return list(Attachment.objects.for_object(obj).order_by("uploaded_at", "id"))
