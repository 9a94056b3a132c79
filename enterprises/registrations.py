"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entries, home
panels, headline figures, API fields, notification kinds and demo seeder. Imported once, from
``EnterprisesConfig.ready``."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises import (
    imports,  # noqa: F401  (the directory import kind)
    notifications,
)
from portal import registry
from portal.models import Role
from portal.registry import Figure, HomePanel, NavItem

registry.register_urls("enterprises.urls")
registry.register_api("enterprises.api.urls")

OFFICE = (Role.DISPATCHER, Role.ADMIN, Role.LEADER)
registry.register_menu(
    NavItem(_("Memberships"), "enterprises:membership-list", "person-check", OFFICE, order=10),
    NavItem(_("My appeals"), "appeals:list", "chat-square-text", (Role.ENTREPRENEUR,), order=20),
    NavItem(_("New appeal"), "appeals:new", "plus-square", (Role.ENTREPRENEUR,), order=30),
    NavItem(
        _("Inbox"),
        "appeals:inbox",
        "inbox",
        (Role.DISPATCHER, Role.HANDLER, Role.DEPARTMENT_HEAD),
        order=40,
    ),
    NavItem(
        _("Appeals"),
        "appeals:list",
        "chat-square-text",
        (Role.DISPATCHER, Role.HANDLER, Role.DEPARTMENT_HEAD, Role.LEADER, Role.ADMIN),
        order=50,
    ),
    NavItem(
        _("Extensions"), "appeals:extensions", "calendar-plus", (Role.DEPARTMENT_HEAD,), order=60
    ),
    NavItem(
        _("Statistics"),
        "appeals:stats",
        "bar-chart-line",
        (Role.LEADER, Role.ADMIN, Role.DISPATCHER, Role.DEPARTMENT_HEAD),
        order=70,
    ),
    NavItem(
        _("Dialogue sessions"),
        "enterprises:session-list",
        "people",
        (*OFFICE, Role.ENTREPRENEUR),
        order=80,
    ),
    NavItem(
        _("Light-up days"),
        "enterprises:celebration-list",
        "lightbulb",
        (*OFFICE, Role.ENTREPRENEUR),
        order=90,
    ),
    NavItem(
        _("My enterprises"),
        "enterprises:my-enterprises",
        "building",
        (Role.ENTREPRENEUR,),
        order=100,
    ),
)


def _home_context(user) -> dict:
    from enterprises.selectors.appeals import home_panels

    return home_panels(user)


registry.register_home_panel(
    HomePanel(
        template="enterprises/home/{role}.html",
        roles=(
            Role.ENTREPRENEUR,
            Role.DISPATCHER,
            Role.HANDLER,
            Role.DEPARTMENT_HEAD,
            Role.LEADER,
            Role.ADMIN,
        ),
        order=10,
        context=_home_context,
        stylesheets=("portal/css/appeals.css",),
    )
)


@registry.register_figures
def headline_figures(user) -> list[Figure]:
    """This year's appeals for the leaders' cross-app strip: how many, closed, closure rate."""
    if not (user.is_superuser or user.role in (Role.LEADER, Role.ADMIN)):
        return []
    from enterprises.models import Status
    from enterprises.selectors.appeals import appeals_for

    year = timezone.localdate().year
    counts = (
        appeals_for(user)
        .order_by()
        .aggregate(
            submitted=Count("id", filter=Q(submitted_at__year=year)),
            closed=Count("id", filter=Q(submitted_at__year=year, status=Status.CLOSED)),
        )
    )
    rate = round(100 * counts["closed"] / counts["submitted"], 1) if counts["submitted"] else None
    appeals_url = reverse("appeals:list")
    return [
        Figure(
            "enterprises.appeals_this_year",
            _("Appeals this year"),
            counts["submitted"],
            url=appeals_url,
        ),
        Figure(
            "enterprises.closed_this_year",
            _("Closed this year"),
            counts["closed"],
            url=f"{appeals_url}?status=closed",
        ),
        Figure("enterprises.closure_rate", _("Closure rate this year"), rate, unit="%"),
    ]


def _me_enterprises():
    from enterprises.api.fields import UserEnterprisesField

    return UserEnterprisesField()


def _notification_appeal():
    from enterprises.api.fields import NotificationAppealField

    return NotificationAppealField()


def _enterprise_scopes(user) -> list[dict]:
    from enterprises.api.fields import enterprise_scopes

    return enterprise_scopes(user)


registry.register_api_field("me", "enterprises", _me_enterprises)
registry.register_grant_scopes(Role.ENTREPRENEUR, _enterprise_scopes)
registry.register_api_field("notification", "appeal", _notification_appeal)

for name, label in notifications.KIND_LABELS.items():
    registry.register_notification_kind(notifications.APP, name, label=label)


def _seed(context: dict) -> dict:
    from enterprises.demo import seed

    return seed(context)


registry.register_seeder("enterprises", _seed, after=("portal",))


# The appeals a region's enterprises had closed on time, for the grassroots index (read there
# through the registry, never by importing this app).
def _appeals_closed_on_time(**scope) -> int:
    from enterprises.selectors.metrics import appeals_closed_on_time

    return appeals_closed_on_time(**scope)


def _appeals_closed_url(**scope) -> str:
    from enterprises.selectors.metrics import appeals_closed_url

    return appeals_closed_url(**scope)


registry.register_metric("appeals_closed_on_time", _appeals_closed_on_time, url=_appeals_closed_url)


def _cockpit_history(user, periods, county):
    from enterprises.selectors.cockpit import cockpit_history

    return cockpit_history(user, periods, county)


def _cockpit_definitions():
    from enterprises.selectors.cockpit import DEFINITIONS

    return DEFINITIONS


registry.register_section(
    "enterprises",
    _("Enterprises: appeals, dialogue sessions, light-up days"),
    history=_cockpit_history,
    order=10,
    definitions=_cockpit_definitions(),
)
