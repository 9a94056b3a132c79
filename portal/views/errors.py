"""Friendly error pages; API paths get the API's JSON error shape instead."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": detail, "code": code}, status=status)
    return render(request, f"{status}.html", {"detail": detail}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("The request could not be understood."), "bad_request")


def permission_denied(request, exception=None):
    return _error(request, 403, _("You do not have permission to see this page."), "forbidden")


def page_not_found(request, exception=None):
    return _error(request, 404, _("The page you asked for does not exist."), "not_found")


def server_error(request):
    # Rendered without the request context: whatever broke may be in a context processor.
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("Something went wrong on our side. Try again later."), "code": "error"},
            status=500,
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
