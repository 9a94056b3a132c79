"""Tags in categories, with a colour from a fixed palette, attachable to any record."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    """Badge backgrounds that all carry white text at a contrast of at least 4.5:1 (WCAG AA)."""

    BLUE = "#0b5cad", _("Blue")
    GREEN = "#146c43", _("Green")
    RED = "#b02a37", _("Red")
    ORANGE = "#9a4a00", _("Orange")
    PURPLE = "#59359a", _("Purple")
    TEAL = "#0f6674", _("Teal")
    PINK = "#a3195b", _("Pink")
    GREY = "#495057", _("Grey")


class TagCategory(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    colour = models.CharField(
        _("colour"), max_length=7, choices=Colour.choices, default=Colour.BLUE
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tag category")
        verbose_name_plural = _("tag categories")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(colour__in=Colour.values), name="tag_category_colour_in_palette"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TagQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model):
        return self.filter(
            items__content_type=ContentType.objects.get_for_model(obj),
            items__object_id=str(obj.pk),
        )


class Tag(models.Model):
    category = models.ForeignKey(
        TagCategory, on_delete=models.PROTECT, related_name="tags", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=60)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["category__order", "category__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="tag_unique_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category.name}: {self.name}"

    @property
    def colour(self) -> str:
        return self.category.colour


class TaggedItem(models.Model):
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="items", verbose_name=_("tag")
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("tagged item")
        verbose_name_plural = _("tagged items")
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "content_type", "object_id"], name="tagged_item_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="tagged_item_target")]

    def __str__(self) -> str:
        return f"{self.tag} → {self.content_type_id}:{self.object_id}"
