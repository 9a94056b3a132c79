"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entries, the
unit leads' scope in ``/api/v1/me/`` and the demo seeder. Imported once, from
``GrassrootsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from grassroots.models import READER_ROLES
from portal import registry
from portal.models import Role
from portal.registry import HomePanel, NavItem

registry.register_urls("grassroots.urls")
registry.register_api("grassroots.api.urls")

# Under 更多 for the office and county staff (their bar is full); on the bar for a unit's
# person in charge, whose work this is.
registry.register_menu(
    NavItem(
        _("Grassroots units"),
        "grassroots:list",
        "diagram-3",
        tuple(role for role in READER_ROLES if role != Role.UNIT_LEAD),
        order=260,
        more=True,
    ),
    NavItem(_("My units"), "grassroots:list", "diagram-3", (Role.UNIT_LEAD,), order=260),
)


registry.register_menu(
    NavItem(
        _("Grassroots index"), "grassroots:index", "bar-chart", READER_ROLES, order=261, more=True
    )
)
registry.register_notification_kind("grassroots", "duty_overdue", label=_("Duty overdue"))


def _home_context(user) -> dict:
    from grassroots.selectors.home import home_figures

    return {"grassroots_home": home_figures(user)}


registry.register_home_panel(
    HomePanel(
        template="grassroots/home/panel.html",
        roles=(Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.UNIT_LEAD),
        order=320,
        context=_home_context,
    )
)


def _unit_scopes(user) -> list[dict]:
    from grassroots.models import Unit

    return [
        {"kind": "unit", "id": unit.pk, "name": unit.name}
        for unit in Unit.objects.filter(in_charge=user).order_by("name", "pk")
    ]


registry.register_grant_scopes(Role.UNIT_LEAD, _unit_scopes)


def _seed(context: dict) -> dict:
    from grassroots.demo import seed

    return seed(context)


registry.register_seeder("grassroots", _seed, after=("portal",))
