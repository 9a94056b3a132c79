from portal import workdays
from portal.models import Notification
from portal.navigation import menu_for


def portal(request) -> dict:
    """Navigation, the bell's unread count and the admin's calendar banner, for every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {
        "nav_items": menu_for(user, request.path),
        "unread_notifications": Notification.objects.visible_to(user).unread().count(),
    }
    if user.is_portal_admin:
        missing = sorted(
            set(workdays.missing_years_ahead()) | set(workdays.uncovered_years_asked())
        )
        context["calendar_missing_years"] = missing
    return context
