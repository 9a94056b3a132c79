"""Tags in categories, with a colour from a fixed palette, attachable to any record."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Colour(models.TextChoices):
    """The fixed palette of badge backgrounds. Each has a CSS class (``tag-bg-<name>`` in
    ``static/portal/css/tags.css``, so no inline style is needed under the CSP); the text on it is
    white or dark, whichever contrasts more (``text_tone``), at least 4.5:1 (WCAG AA)."""

    BLUE = "#0b5cad", _("Blue")
    GREEN = "#146c43", _("Green")
    RED = "#b02a37", _("Red")
    ORANGE = "#9a4a00", _("Orange")
    PURPLE = "#59359a", _("Purple")
    TEAL = "#0f6674", _("Teal")
    PINK = "#a3195b", _("Pink")
    GREY = "#495057", _("Grey")
    YELLOW = "#ffcd39", _("Yellow")
    LIGHT_BLUE = "#9ec5fe", _("Light blue")


# The two text colours a badge may carry (``tag-fg-light`` / ``tag-fg-dark`` in tags.css).
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#212529"


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_tone(background: str) -> str:
    """``light`` or ``dark``: the text colour that contrasts more with ``background``."""
    light, dark = contrast_ratio(background, LIGHT_TEXT), contrast_ratio(background, DARK_TEXT)
    return "light" if light >= dark else "dark"


def palette_name(colour: str) -> str:
    """The CSS name of a palette colour (``LIGHT_BLUE`` → ``light-blue``)."""
    return Colour(colour).name.lower().replace("_", "-")


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

    @property
    def css_classes(self) -> str:
        """The badge's palette classes: background and the text colour that reads on it."""
        colour = self.category.colour
        return f"tag-bg-{palette_name(colour)} tag-fg-{text_tone(colour)}"


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
