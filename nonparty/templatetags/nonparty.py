"""Template helpers of the archive: a share (0–1) written as a percentage with one decimal."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.3696 → "37.0%"; no share (nobody) → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"
