"""The navigation bar per role: one table, so every role's menu can be read in one place."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: tuple[str, ...]


ALL = tuple(Role.values)
MENU = (
    NavItem(_("Home"), "home", "house", ALL),
    NavItem(
        _("Memberships"),
        "enterprises:membership-list",
        "person-check",
        (Role.DISPATCHER, Role.ADMIN, Role.LEADER),
    ),
    NavItem(_("My enterprises"), "enterprises:my-enterprises", "building", (Role.ENTREPRENEUR,)),
    NavItem(_("Departments"), "department-list", "diagram-3", ALL),
    NavItem(_("Regions"), "region-browser", "geo-alt", ALL),
    NavItem(_("Holiday calendar"), "calendar", "calendar3", ALL),
    NavItem(_("API docs"), "api-docs", "code-slash", (Role.ADMIN, Role.DISPATCHER)),
)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for item in MENU:
        if user.role in item.roles:
            url = reverse(item.url_name)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
    return items
