"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entry, home
panel and demo seeder. Imported once, from ``AlliancesConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from alliances.models import READER_ROLES
from portal import registry
from portal.registry import HomePanel, NavItem

registry.register_urls("alliances.urls")
registry.register_api("alliances.api.urls")

# Under "More" for now: as a tenth entry on the bar it made the dispatcher's bar 100 px wider
# than a 1280 px screen.
registry.register_menu(
    NavItem(_("Alliances"), "alliances:list", "share", READER_ROLES, order=300, more=True),
)


def _home_context(user) -> dict:
    from alliances.selectors import home_figures

    return {"alliances_home": home_figures(user)}


registry.register_home_panel(
    HomePanel(
        template="alliances/home/panel.html",
        roles=READER_ROLES,
        order=300,
        context=_home_context,
    )
)


def _seed(context: dict) -> dict:
    from alliances.demo import seed

    return seed(context)


registry.register_seeder("alliances", _seed, after=("portal",))

# The villages' figures (村级报送): their notifications, stored as "alliances.<name>", and the
# seeder of the demo's reports (after the alliances' own, which makes the villages).
for _name, _label in (
    ("report_submitted", _("Village figures submitted")),
    ("report_returned", _("Village figures returned")),
    ("report_approved", _("Village figures approved")),
    ("report_reminder", _("Village figures due")),
    ("report_overdue", _("Village figures overdue")),
):
    registry.register_notification_kind("alliances", _name, label=_label)


def _seed_reports(context: dict) -> dict:
    from alliances.demo_reports import seed

    return seed(context)


registry.register_menu(
    NavItem(
        _("Village figures"),
        "alliances:report-list",
        "clipboard-data",
        READER_ROLES,
        order=310,
        more=True,  # under "More": the bar must fit on one line
    ),
)
registry.register_seeder("alliances_reports", _seed_reports, after=("alliances",))

# The villages' figures as an Excel import kind (alliances.reports).
from alliances import imports as _imports  # noqa: E402, F401


def _cockpit_history(user, periods, county):
    from alliances.cockpit import cockpit_history

    return cockpit_history(user, periods, county)


def _definitions():
    from alliances.cockpit import DEFINITIONS

    return DEFINITIONS


registry.register_section(
    "alliances",
    _("Alliances (奔富联盟)"),
    history=_cockpit_history,
    order=30,
    definitions=_definitions(),
)
