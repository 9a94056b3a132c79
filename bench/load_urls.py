"""The portal's URLs plus ``/bench/floor/``, a view that does nothing: the requests per second
it answers on the same server, through the same middleware, is the framework's floor."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *portal_urlpatterns]
