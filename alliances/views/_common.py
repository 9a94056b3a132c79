"""What the alliances' pages share: who may open them."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from alliances import selectors

PAGE_SIZE = 20


def require_reader(request: HttpRequest) -> None:
    """Lists answer 403 to whoever does not read alliances (objects 404 through scoping)."""
    if not selectors.can_see(request.user):
        raise PermissionDenied


def require_editor(request: HttpRequest) -> None:
    if not selectors.can_edit(request.user):
        raise PermissionDenied


def as_pk(value) -> int:
    """A posted or routed id, or 0 (which matches nothing: a 404, never a 500)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < 2**63 else 0
