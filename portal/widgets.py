"""Form pieces shared by every app: the cascading region picker and its form field.

    from portal.widgets import RegionChoiceField

    class EnterpriseForm(forms.ModelForm):
        region = RegionChoiceField(label=_("Location"), max_level=Region.Level.TOWNSHIP)

Pages that use it must output ``{{ form.media }}`` so that ``portal/js/region-picker.js`` loads;
the script is what fetches the next level's options and keeps the hidden value up to date.
"""

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Region
from portal.regions import QUZHOU_CODE, SIGNIFICANT_DIGITS, children_of, significant_prefix

LEVEL_LABELS = {
    Region.Level.PROVINCE: _("Province"),
    Region.Level.CITY: _("City"),
    Region.Level.COUNTY: _("County"),
    Region.Level.TOWNSHIP: _("Township"),
    Region.Level.VILLAGE: _("Village"),
}


def level_of_code(code: str) -> Region.Level:
    """The level a well-formed 12-digit code stands for, read from its trailing zeros."""
    digits = len(significant_prefix(code))
    return next(level for level, count in SIGNIFICANT_DIGITS.items() if count == digits)


def _as_pk(value) -> int | None:
    if isinstance(value, Region):
        return value.pk
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class RegionPickerWidget(forms.Widget):
    """One select per level below ``root_code`` down to ``max_level``, and a hidden input.

    The hidden input carries the id of the deepest region chosen, under the field's name; the
    selects have no name and only drive it. Rendered on the server with the first level's
    options and, for a chosen region, the whole chain of selects filled in, so a form shown again
    after a validation error keeps the choice.
    """

    template_name = "portal/widgets/region_picker.html"

    class Media:
        js = ["portal/js/region-picker.js"]

    def __init__(
        self,
        attrs: dict | None = None,
        *,
        root_code: str = QUZHOU_CODE,
        max_level: int = Region.Level.VILLAGE,
    ):
        super().__init__(attrs)
        self.root_code = root_code
        self.max_level = max_level

    def format_value(self, value) -> str | None:
        pk = _as_pk(value)
        return None if pk is None else str(pk)

    def _chain(self, value) -> tuple[Region | None, list[Region]]:
        """The root and the regions chosen below it, top-down (empty if outside the root)."""
        pk = _as_pk(value)
        region = None
        if pk is not None and abs(pk) < 2**63:
            region = (
                Region.objects.select_related("parent__parent__parent__parent")
                .filter(pk=pk)
                .first()
            )
        if region is not None:
            path = [*region.ancestors(), region]
            codes = [node.code for node in path]
            if self.root_code in codes:
                below = path[codes.index(self.root_code) + 1 :]
                return path[codes.index(self.root_code)], [
                    node for node in below if node.level <= self.max_level
                ]
        return Region.objects.filter(code=self.root_code).first(), []

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        root, chain = self._chain(value)
        base_id = attrs.pop("id", None)
        invalid = attrs.get("aria-invalid") in (True, "true")
        classes = [c for c in attrs.pop("class", "").split() if c != "form-control"]
        classes = ["form-select", *classes, *(["is-invalid"] if invalid else [])]
        required = attrs.pop("required", False)
        disabled = attrs.pop("disabled", False)

        steps = []
        levels = range(level_of_code(self.root_code) + 1, self.max_level + 1)
        for index, level in enumerate(levels):
            parent = root if index == 0 else (chain[index - 1] if len(chain) >= index else None)
            options = list(children_of(parent)) if parent is not None else []
            chosen = chain[index].pk if index < len(chain) else None
            step_id = None if base_id is None else (base_id if index == 0 else f"{base_id}_{index}")
            step_attrs = {
                "id": step_id,
                "class": " ".join(classes),
                "data-step": index,
                "data-level": level,
                "disabled": bool(disabled or not options),
                "required": bool(required and index == 0),
                **(attrs if index == 0 else {}),
            }
            steps.append(
                {
                    "id": step_id,
                    "label": LEVEL_LABELS[level],
                    "attrs": flatatt(step_attrs),
                    "options": [
                        {
                            "id": option.pk,
                            "name": option.name,
                            "has_children": option.has_children,
                            "selected": option.pk == chosen,
                        }
                        for option in options
                    ],
                }
            )
        context["widget"].update(
            {
                "steps": steps,
                "chosen": chain[-1].pk if chain else "",
                "hidden_id": None if base_id is None else f"{base_id}_value",
                "children_url": reverse("region-children"),
                "max_level": self.max_level,
                "placeholder": _("— choose —"),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The template lives in the project's templates/ directory, which Django's default form
        # renderer does not search; the project's template engine does.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def id_for_label(self, id_: str) -> str:
        return id_  # the first select carries the field's own id


class RegionChoiceField(forms.ModelChoiceField):
    """A region under ``root_code`` (Quzhou unless told otherwise), chosen with the picker.

    Its value is the deepest region chosen: at least ``min_level`` deep when given, and never
    deeper than ``max_level``. A region outside the root is refused with a message naming both.
    """

    widget = RegionPickerWidget
    default_error_messages = {
        "invalid_choice": _("Select a valid region."),
        "outside_root": _("%(region)s is not within %(root)s."),
        "too_deep": _("Choose a region no finer than the %(level)s level."),
        "too_shallow": _("Choose down to the %(level)s level."),
    }

    def __init__(
        self,
        *,
        root_code: str = QUZHOU_CODE,
        max_level: int = Region.Level.VILLAGE,
        min_level: int | None = None,
        queryset=None,
        **kwargs,
    ):
        root_level = level_of_code(root_code)
        if not root_level < max_level <= Region.Level.VILLAGE:
            raise ImproperlyConfigured(f"max_level must lie below the root {root_code}'s level")
        if min_level is not None and not root_level < min_level <= max_level:
            raise ImproperlyConfigured("min_level must lie between the root's level and max_level")
        super().__init__(Region.objects.all() if queryset is None else queryset, **kwargs)
        self.root_code = root_code
        self.max_level = max_level
        self.min_level = min_level
        self.widget.root_code = root_code
        self.widget.max_level = max_level

    def validate(self, value: Region | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value.code == self.root_code or not value.code.startswith(
            significant_prefix(self.root_code)
        ):
            root = Region.objects.filter(code=self.root_code).first()
            raise ValidationError(
                self.error_messages["outside_root"],
                code="outside_root",
                params={"region": value.name, "root": root.name if root else self.root_code},
            )
        if value.level > self.max_level:
            raise ValidationError(
                self.error_messages["too_deep"],
                code="too_deep",
                params={"level": Region.Level(self.max_level).label},
            )
        if self.min_level is not None and value.level < self.min_level:
            raise ValidationError(
                self.error_messages["too_shallow"],
                code="too_shallow",
                params={"level": Region.Level(self.min_level).label},
            )


# --- A searchable region field: any region of the table, by name or code --------------------


def region_label(region: Region) -> str:
    """``江山市（浙江省 衢州市）· 330881000000``: the name, its ancestors, its code."""
    above = " ".join(node.name for node in region.ancestors())
    return f"{region.name}（{above}）· {region.code}" if above else f"{region.name} · {region.code}"


def search_regions(text: str, *, min_level: int | None = None, limit: int = 20):
    """Regions whose name contains ``text`` (or whose code starts with it), shallow first."""
    text = text.strip()
    regions = Region.objects.select_related("parent__parent__parent__parent")
    if min_level is not None:
        regions = regions.filter(level__gte=min_level)
    if text.isdigit():
        regions = regions.filter(code__startswith=text)
    else:
        regions = regions.filter(name__contains=text)
    return list(regions.order_by("level", "code")[:limit])


class RegionSearchWidget(forms.TextInput):
    """A text input with a list of suggestions that ``portal/js/region-search.js`` fills from
    ``/regions/search/`` as one types; without script, typing a name or a code works too."""

    class Media:
        js = ["portal/js/region-search.js"]

    def __init__(self, attrs=None, *, min_level: int | None = None):
        super().__init__(attrs)
        self.min_level = min_level

    def format_value(self, value):
        if isinstance(value, Region):
            return region_label(value)
        pk = _as_pk(value)
        if pk is not None and abs(pk) < 2**63:
            region = (
                Region.objects.select_related("parent__parent__parent__parent")
                .filter(pk=pk)
                .first()
            )
            if region is not None:
                return region_label(region)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or name}_options"
        widget_attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "data-region-search": reverse("region-search"),
                "data-min-level": self.min_level or "",
            }
        )
        context["widget"]["list_id"] = list_id
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html

        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        value_text = widget["value"] if widget["value"] is not None else ""
        return format_html(
            '<input type="text" name="{}" value="{}"{}><datalist id="{}"></datalist>',
            name,
            value_text,
            flatatt(widget["attrs"]),
            widget["list_id"],
        )


class RegionSearchField(forms.Field):
    """Any region of the table, typed as a name (unique at ``min_level`` or deeper), a
    12-digit code, or a suggestion's label (which ends in the code)."""

    widget = RegionSearchWidget
    default_error_messages = {
        "unknown": _("No region is called “%(text)s”: type a name from the suggestions or a code."),
        "ambiguous": _(
            "Several regions are called “%(text)s” (%(examples)s): choose one of the suggestions."
        ),
        "too_shallow": _("Choose down to the %(level)s level."),
    }

    def __init__(self, *, min_level: int | None = None, **kwargs):
        kwargs.setdefault("widget", RegionSearchWidget(min_level=min_level))
        super().__init__(**kwargs)
        self.min_level = min_level

    def to_python(self, value):
        if isinstance(value, Region):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        code = text.rsplit("·", 1)[-1].strip()
        if code.isdigit() and len(code) == 12:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"text": text}
                )
        elif code.isdigit() and len(code) == 6:
            region = Region.objects.filter(code=code + "000000").first()
            if region is None:
                raise ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"text": text}
                )
        elif code.isdigit() and len(code) <= 18 and code == text:
            # A region's id, as a form posted by a script (or shown again) carries it.
            region = Region.objects.filter(pk=int(code)).first()
            if region is None:
                raise ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"text": text}
                )
        else:
            name = text.split("（", 1)[0].strip()
            matches = Region.objects.filter(name=name)
            if self.min_level is not None:
                matches = matches.filter(level__gte=self.min_level)
            found = list(matches.select_related("parent__parent")[:4])
            if not found:
                raise ValidationError(
                    self.error_messages["unknown"], code="unknown", params={"text": text}
                )
            if len(found) > 1:
                examples = "、".join(
                    f"{r.parent.name if r.parent else ''}{r.name}" for r in found[:3]
                )
                raise ValidationError(
                    self.error_messages["ambiguous"],
                    code="ambiguous",
                    params={"text": text, "examples": examples},
                )
            region = found[0]
        if self.min_level is not None and region.level < self.min_level:
            raise ValidationError(
                self.error_messages["too_shallow"],
                code="too_shallow",
                params={"level": Region.Level(self.min_level).label},
            )
        return region
