"""Template tags for the shared pieces: any record's timeline, attachments and tags."""

from django import template
from django.db.models import Model

from portal.models import Attachment
from portal.tags import tags_of
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


@register.inclusion_tag("portal/_tag_badges.html")
def tag_badges(obj_or_tags) -> dict:
    """A record's tags as badges in their categories' colours: ``{% tag_badges appeal %}``, or
    ``{% tag_badges tags %}`` with tags already read (``portal.tags.tags_by_object`` for lists)."""
    if obj_or_tags is None:
        tags = []
    elif isinstance(obj_or_tags, Model):
        tags = tags_of(obj_or_tags)
    else:
        tags = list(obj_or_tags)
    return {"tags": tags}
