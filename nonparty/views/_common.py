"""What the archive's pages share: who may open them, and one page for a plain form."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nonparty import selectors

PAGE_SIZE = 20


def require_archive(request: HttpRequest) -> None:
    """Lists answer 403 to whoever does not see the archive (objects 404 through scoping)."""
    if not selectors.can_see_archive(request.user):
        raise PermissionDenied


def require_editor(request: HttpRequest) -> None:
    if not selectors.can_edit(request.user):
        raise PermissionDenied


def form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    back: str,
    person=None,
    status: int | None = None,
    multipart: bool = False,
) -> HttpResponse:
    """A form on its own page (crispy); 400 when it carries errors."""
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "nonparty/form.html",
        {"form": form, "title": title, "back": back, "person": person, "multipart": multipart},
        status=status,
    )
