from django.conf import settings

from portal import workdays
from portal.models import Notification
from portal.navigation import menu_for


def portal(request) -> dict:
    """Navigation, the bell's unread count and the admin's calendar banner, for every page."""
    # The lock-out page says how long the lock lasts (django-axes gives it no such variable).
    context: dict = {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context |= {
        "nav_items": menu_for(user, request.path),
        "unread_notifications": Notification.objects.visible_to(user).unread().count(),
    }
    if user.is_portal_admin:
        missing = sorted(
            set(workdays.missing_years_ahead()) | set(workdays.uncovered_years_asked())
        )
        context["calendar_missing_years"] = missing
    return context
