"""Reading tags: a queryset filtered by tags, the tags of records, and a field to pick them."""

from collections.abc import Iterable
from typing import Literal

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from portal.models import Tag, TaggedItem


def _tagged(model: type[models.Model], tag_ids) -> models.QuerySet:
    # ``object_id`` is text so that any primary key fits; the record's pk is cast to match.
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef("pk"), models.CharField()),
        tag_id__in=tag_ids,
    )


def with_tags(
    qs: models.QuerySet, tag_ids: Iterable[int], match: Literal["all", "any"] = "all"
) -> models.QuerySet:
    """The records of ``qs`` carrying every one (``all``) or at least one (``any``) of the tags."""
    tag_ids = sorted({int(pk) for pk in tag_ids})
    if not tag_ids:
        return qs
    if match == "any":
        return qs.filter(Exists(_tagged(qs.model, tag_ids)))
    if match != "all":
        raise ValueError(f"match must be 'all' or 'any', not {match!r}")
    for pk in tag_ids:
        qs = qs.filter(Exists(_tagged(qs.model, [pk])))
    return qs


def tags_of(obj: models.Model) -> list[Tag]:
    """``obj``'s tags with their categories, in the categories' order."""
    return list(Tag.objects.for_object(obj).select_related("category"))


def tags_by_object(objects: Iterable[models.Model]) -> dict:
    """Tags of many records at once (one query): pk → list of tags."""
    objects = list(objects)
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    items = (
        TaggedItem.objects.filter(
            content_type=content_type, object_id__in=[str(o.pk) for o in objects]
        )
        .select_related("tag__category")
        .order_by("tag__category__order", "tag__category__name", "tag__name")
    )
    result: dict = {o.pk: [] for o in objects}
    by_text = {str(o.pk): o.pk for o in objects}
    for item in items:
        result[by_text[item.object_id]].append(item.tag)
    return result


class _TagsByCategory(ModelChoiceIterator):
    """The choices as one group per category, so a plain select reads like the admin's list."""

    def __iter__(self):
        groups: dict[str, list] = {}
        for tag in self.queryset:
            groups.setdefault(tag.category.name, []).append(self.choice(tag))
        yield from groups.items()


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Pick tags from a plain multiple select grouped by category (no script, no CDN)."""

    iterator = _TagsByCategory
    widget = forms.SelectMultiple

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        if queryset is None:
            queryset = Tag.objects.select_related("category")
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj: Tag) -> str:
        return obj.name
