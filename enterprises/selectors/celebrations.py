"""Reads of the light-up days: scoped lists for the portal, and what each public screen shows."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from enterprises.models import Celebration, CelebrationStatus, Enterprise, Screen
from portal.models import User


def celebrations_for(user: User) -> QuerySet[Celebration]:
    """The celebrations ``user`` may see, with what every list row shows (no per-row query)."""
    return (
        Celebration.objects.visible_to(user)
        .select_related("enterprise", "requested_by", "decided_by")
        .prefetch_related(Prefetch("screens", queryset=Screen.objects.order_by("sort_order")))
        .order_by("-starts_on", "-id")
    )


def celebration_for(user: User, pk: int) -> Celebration:
    """One celebration in ``user``'s scope, or ``Http404``."""
    return get_object_or_404(celebrations_for(user), pk=pk)


def celebrations_of(user: User, enterprise: Enterprise) -> list[Celebration]:
    """An enterprise's celebrations that ``user`` may see, newest first (its page lists them)."""
    return list(celebrations_for(user).filter(enterprise=enterprise))


def status_counts(user: User) -> dict[str, int]:
    """How many celebrations of each status ``user`` may see (the list's tabs), in one query."""
    return Celebration.objects.visible_to(user).aggregate(
        all=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in CelebrationStatus.values},
    )


def active_screens() -> QuerySet[Screen]:
    return Screen.objects.active().order_by("sort_order", "name")


def kiosk_screen(slug: str) -> Screen:
    """An active public screen by its address name, or ``Http404``."""
    return get_object_or_404(Screen.objects.active(), slug=slug)


def showing(screen: Screen, day: dt.date) -> list[Celebration]:
    """Exactly what ``screen`` shows on ``day``: approved celebrations whose days include it."""
    return list(
        Celebration.objects.approved()
        .on_day(day)
        .filter(screens=screen)
        .select_related("enterprise")
        .order_by("starts_on", "id")
    )


def kiosk_item(celebration: Celebration, screen: Screen) -> dict:
    """One celebration as the kiosk's script receives it (only what a public screen shows)."""
    return {
        "id": celebration.pk,
        "enterprise": celebration.enterprise.name,
        "kind": celebration.kind,
        "kind_label": str(celebration.get_kind_display()),
        "text": celebration.screen_text,
        "image": reverse("screen-image", args=[screen.slug, celebration.pk])
        if celebration.image
        else "",
        "starts_on": celebration.starts_on.isoformat(),
        "ends_on": celebration.ends_on.isoformat(),
    }


def kiosk_feed(screen: Screen, day: dt.date) -> dict:
    return {
        "screen": {"slug": screen.slug, "name": screen.name, "location": screen.location},
        "today": day.isoformat(),
        "items": [kiosk_item(c, screen) for c in showing(screen, day)],
    }
