"""Writing to and reading from the generic timeline (``portal.models.TimelineEntry``).

An entry records a change, so it is written in the same transaction as that change: either both
are kept or neither is. ``timeline_record`` refuses to run outside a transaction to keep it so.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from portal.models import TimelineEntry, User


def timeline_record(
    obj: models.Model,
    *,
    actor: User | None,
    kind: str,
    message: str = "",
    data: dict | None = None,
) -> TimelineEntry:
    """Append one entry to ``obj``'s timeline, inside the caller's ``transaction.atomic``."""
    assert transaction.get_connection().in_atomic_block, (
        "timeline_record() must run inside the transaction of the change it records"
    )
    return TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        message=message,
        data=data or {},
    )


def timeline_for(obj: models.Model):
    """``obj``'s entries, oldest first, with their actors (one query)."""
    return TimelineEntry.objects.for_object(obj).select_related("actor").order_by("at", "id")
