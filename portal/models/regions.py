from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Administrative divisions are public reference data."""
        return self

    def children_of(self, parent: "Region | None"):
        return self.filter(parent=parent).order_by("code")


class Region(models.Model):
    """A node of the administrative division tree, keyed by its 12-digit statistical code."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")
        TOWNSHIP = 4, _("township")
        VILLAGE = 5, _("village")

    code = models.CharField(_("statistical code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    vintage = models.PositiveSmallIntegerField(
        _("code vintage"), help_text=_("Year of the statistical code edition.")
    )
    # 民族乡 / 民族村: a township or village designated for an ethnic minority. A fact about the
    # place, kept here (not on an alliance's membership) so every app reads it the same way.
    is_ethnic = models.BooleanField(
        _("ethnic township or village (民族乡/民族村)"),
        default=False,
        help_text=_("A township or village designated for an ethnic minority."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region (行政区划)")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_code")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}$"), name="region_code_12_digits"
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def gb_code(self) -> str:
        """The 6-digit GB/T 2260 code of a province, city or county."""
        return self.code[:6]

    def ancestors(self) -> list["Region"]:
        """Root first, excluding self; at most four steps up."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in [*self.ancestors(), self])
