"""What the registry's pages share: who may open them, and reading a posted id."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xiangxian import selectors

PAGE_SIZE = 20


def require_registry(request: HttpRequest) -> None:
    """Lists answer 403 to whoever does not see the registry (objects 404 through scoping)."""
    if not selectors.can_see_registry(request.user):
        raise PermissionDenied


def require_editor(request: HttpRequest) -> None:
    if not selectors.can_edit(request.user):
        raise PermissionDenied


def require_office_editor(request: HttpRequest) -> None:
    if not selectors.can_edit_city_records(request.user):
        raise PermissionDenied


def as_pk(value) -> int:
    """A posted id, or 0 (which matches nothing: a 404, never a 500)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < 2**63 else 0


def figure_window(request, rows, *, day: str, region: str):
    """``rows`` cut as a figure of the cockpit cuts them: ``from``/``to`` on the date ``day``,
    ``county`` (a county's code) on the region ``region`` (at it or below). Returns the rows
    and the context of ``portal/_figure_window.html`` (``None`` when nothing is cut)."""
    from portal.periods import list_county, list_window, window_q
    from portal.regions import within_q

    start, end = list_window(request.GET)
    county = list_county(request.GET)
    rows = rows.filter(window_q(day, start, end))
    if county is not None:
        rows = rows.filter(within_q(region, [county.code]))
    shown = {"window": (start, end), "county": county} if (start or end or county) else None
    return rows, shown
