"""Template helpers of the figures: the figure filters in force on an appeal list."""

from django import template

from enterprises.filters import FIGURE_PARAMS, figure_filter_chips

register = template.Library()


@register.simple_tag
def figure_filters(form) -> list[tuple[str, str]]:
    """``{% figure_filters filter_form as chips %}``: (label, value) of each one in force."""
    return figure_filter_chips(form)


@register.simple_tag(takes_context=True)
def figure_params(context) -> list[tuple[str, str]]:
    """The figure parameters of the current request, to carry in the filter form."""
    request = context["request"]
    return [(name, request.GET[name]) for name in FIGURE_PARAMS if request.GET.get(name)]
