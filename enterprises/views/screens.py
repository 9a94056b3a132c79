"""The public kiosk of each screen (``/screens/<slug>/``): no login, read-only, full-screen.

The page carries today's approved celebrations in itself, so it shows them at once; its script
(``static/portal/js/kiosk.js``) rotates them, fetches the feed again every so often, and keeps
showing what it last loaded while the network is down — dropping items whose days are over.
Nothing unapproved or out of date is ever sent: the feed is ``selectors.celebrations.showing``.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from enterprises.models import Celebration
from enterprises.selectors import celebrations as selectors
from enterprises.views.celebrations import image_response

ROTATE_SECONDS = 12
REFRESH_SECONDS = 60


def _seconds(request: HttpRequest, name: str, default: int) -> int:
    """A tuning parameter of the page (``?rotate=5``), kept within sensible bounds."""
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        return default
    return min(max(value, 1), 3600)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_safe  # the script asks with HEAD before it reloads itself
def kiosk(request: HttpRequest, slug: str) -> HttpResponse:
    screen = selectors.kiosk_screen(slug)
    today = timezone.localdate()
    response = render(
        request,
        "enterprises/screens/kiosk.html",
        {
            "screen": screen,
            "feed": selectors.kiosk_feed(screen, today),
            "rotate": _seconds(request, "rotate", ROTATE_SECONDS),
            "refresh": _seconds(request, "refresh", REFRESH_SECONDS),
            "time_zone": settings.TIME_ZONE,
            "today": today,
        },
    )
    return _no_store(response)


@require_GET
def kiosk_feed(request: HttpRequest, slug: str) -> JsonResponse:
    screen = selectors.kiosk_screen(slug)
    return _no_store(
        JsonResponse(
            selectors.kiosk_feed(screen, timezone.localdate()),
            json_dumps_params={"ensure_ascii": False},
        )
    )


@require_GET
def kiosk_image(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The image of an approved celebration on this screen; nothing else is public."""
    screen = selectors.kiosk_screen(slug)
    celebration = get_object_or_404(Celebration.objects.approved(), pk=pk, screens=screen)
    if not celebration.image:
        raise Http404
    return image_response(celebration, public=True)
