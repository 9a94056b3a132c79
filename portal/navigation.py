"""The navigation bar: the portal's own entries here, every app's from its ``AppConfig.ready``
(``portal.registry.register_menu``), shown per role in ``order``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.registry import NavItem, menu, register_menu

PORTAL_MENU = (
    NavItem(_("Home"), "home", "house", order=0),
    # Under "More": the office's bars are full (one line at 1280 px).
    NavItem(
        _("Cockpit"),
        "cockpit",
        "speedometer2",
        (Role.LEADER, Role.DISPATCHER, Role.ADMIN, Role.COUNTY_STAFF),
        order=5,
        more=True,
    ),
    NavItem(_("Departments"), "department-list", "diagram-3", order=900, more=True),
    NavItem(_("Regions"), "region-browser", "geo-alt", order=910, more=True),
    NavItem(_("Holiday calendar"), "calendar", "calendar3", order=920, more=True),
    NavItem(
        _("API docs"), "api-docs", "code-slash", (Role.ADMIN, Role.DISPATCHER), order=930, more=True
    ),
)
register_menu(*PORTAL_MENU)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for item in menu():
        if item.shown_to(user.role):
            url = reverse(item.url_name)
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "icon": item.icon,
                    "active": False,
                    "more": item.more,
                }
            )
    # One item is active: the longest URL the path lies under ("/appeals/inbox/" is the inbox,
    # not also the list at "/appeals/"); the home page only on itself.
    matches = [
        item
        for item in items
        if (
            current_path == item["url"]
            if item["url"] == "/"
            else current_path.startswith(item["url"])
        )
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return items
