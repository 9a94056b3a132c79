"""Setting the tags of a record; each change is audited."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from portal.models import AuditLog, Tag, TaggedItem, User
from portal.services.audit import audit_record


@transaction.atomic
def tags_set(obj: models.Model, tags: Iterable[Tag | int], *, actor: User | None) -> list[Tag]:
    """Make ``tags`` exactly the tags of ``obj``; an audit row names what was added and removed."""
    wanted = {tag if isinstance(tag, int) else tag.pk for tag in tags}
    content_type = ContentType.objects.get_for_model(obj)
    items = TaggedItem.objects.filter(content_type=content_type, object_id=str(obj.pk))
    current = set(items.values_list("tag_id", flat=True))
    added, removed = wanted - current, current - wanted
    if removed:
        items.filter(tag_id__in=removed).delete()
    if added:
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag_id=pk, content_type=content_type, object_id=str(obj.pk))
                for pk in sorted(added)
            ],
            ignore_conflicts=True,
        )
    if added or removed:
        names = dict(Tag.objects.filter(pk__in=added | removed).values_list("pk", "name"))
        audit_record(
            actor=actor,
            action=AuditLog.Action.UPDATE,
            target=obj,
            fields=["tags"],
            note="; ".join(
                part
                for part in (
                    "+ " + ", ".join(names[pk] for pk in sorted(added)) if added else "",
                    "- " + ", ".join(names[pk] for pk in sorted(removed)) if removed else "",
                )
                if part
            ),
        )
    return list(Tag.objects.filter(pk__in=wanted).select_related("category"))
