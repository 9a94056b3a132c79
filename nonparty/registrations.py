"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entry and
demo seeder. Imported once, from ``NonpartyConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from nonparty.models.people import ARCHIVE_ROLES
from portal import registry
from portal.models import Role
from portal.registry import NavItem

registry.register_urls("nonparty.urls")
registry.register_api("nonparty.api.urls")

# Under 更多 for the office and county staff (their bar is full); on the bar for a liaison cadre,
# whose work this is.
registry.register_menu(
    NavItem(
        _("Non-party people"),
        "nonparty:list",
        "people",
        tuple(role for role in ARCHIVE_ROLES if role != Role.LIAISON),
        order=250,
        more=True,
    ),
    NavItem(_("Non-party people"), "nonparty:list", "people", (Role.LIAISON,), order=250),
)

registry.register_notification_kind("nonparty", "talks_behind", label=_("Talks behind plan"))


def _seed(context: dict) -> dict:
    from nonparty.demo import seed

    return seed(context)


registry.register_seeder("nonparty", _seed, after=("portal",))


def _cockpit_history(user, periods, county):
    from nonparty.selectors.cockpit import cockpit_history

    return cockpit_history(user, periods, county)


def _definitions():
    from nonparty.selectors.cockpit import DEFINITIONS

    return DEFINITIONS


registry.register_section(
    "nonparty",
    _("Non-party people"),
    history=_cockpit_history,
    order=40,
    definitions=_definitions(),
)
