"""What the app's pages share: who may open them."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from grassroots import selectors

PAGE_SIZE = 24


def require_units(request: HttpRequest) -> None:
    """Lists answer 403 to whoever does not work with the units (objects 404 through scoping)."""
    if not selectors.can_see_units(request.user):
        raise PermissionDenied
