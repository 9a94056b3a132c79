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
    # Reference pages sit under "More", so that the bar fits on one line.
    more: bool = False


ALL = tuple(Role.values)
MENU = (
    NavItem(_("Home"), "home", "house", ALL),
    NavItem(
        _("Memberships"),
        "enterprises:membership-list",
        "person-check",
        (Role.DISPATCHER, Role.ADMIN, Role.LEADER),
    ),
    NavItem(_("My appeals"), "appeals:list", "chat-square-text", (Role.ENTREPRENEUR,)),
    NavItem(_("New appeal"), "appeals:new", "plus-square", (Role.ENTREPRENEUR,)),
    NavItem(
        _("Inbox"),
        "appeals:inbox",
        "inbox",
        (Role.DISPATCHER, Role.HANDLER, Role.DEPARTMENT_HEAD),
    ),
    NavItem(
        _("Appeals"),
        "appeals:list",
        "chat-square-text",
        (Role.DISPATCHER, Role.HANDLER, Role.DEPARTMENT_HEAD, Role.LEADER, Role.ADMIN),
    ),
    NavItem(_("Extensions"), "appeals:extensions", "calendar-plus", (Role.DEPARTMENT_HEAD,)),
    NavItem(
        _("Statistics"),
        "appeals:stats",
        "bar-chart-line",
        (Role.LEADER, Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT_HEAD),
    ),
    NavItem(
        _("Dialogue sessions"),
        "enterprises:session-list",
        "people",
        (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.ENTREPRENEUR),
    ),
    NavItem(
        _("Light-up days"),
        "enterprises:celebration-list",
        "lightbulb",
        (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.ENTREPRENEUR),
    ),
    NavItem(_("My enterprises"), "enterprises:my-enterprises", "building", (Role.ENTREPRENEUR,)),
    NavItem(_("Departments"), "department-list", "diagram-3", ALL, more=True),
    NavItem(_("Regions"), "region-browser", "geo-alt", ALL, more=True),
    NavItem(_("Holiday calendar"), "calendar", "calendar3", ALL, more=True),
    NavItem(_("API docs"), "api-docs", "code-slash", (Role.ADMIN, Role.DISPATCHER), more=True),
)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for item in MENU:
        if user.role in item.roles:
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
