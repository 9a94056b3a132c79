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


# --- Supervision visits and typical cases -------------------------------------------------------

registry.register_notification_kind(
    "grassroots", "followup_overdue", label=_("Overdue follow-up item of a visit")
)
registry.register_menu(
    NavItem(
        _("Supervision visits"),
        "grassroots:visit-list",
        "clipboard-check",
        (Role.LEADER, Role.DISPATCHER, Role.ADMIN, Role.COUNTY_STAFF),
        order=265,
        more=True,
    ),
    NavItem(
        _("Typical cases"),
        "grassroots:case-list",
        "journal-richtext",
        tuple(role for role in Role.values if role != Role.ENTREPRENEUR),
        order=270,
        more=True,
    ),
)


def _visits_home(user) -> dict:
    from grassroots.selectors.visits import home_context

    return home_context(user)


# The leader's and the office's home: the counties no leader has visited this ISO week.
registry.register_home_panel(
    HomePanel(
        template="grassroots/visits/home_panel.html",
        roles=(Role.LEADER, Role.DISPATCHER, Role.ADMIN),
        order=150,
        context=_visits_home,
    )
)


def _seed_visits(context: dict) -> dict:
    from grassroots.demo_visits import seed

    return seed(context)


registry.register_seeder(
    "grassroots_visits", _seed_visits, after=("grassroots", "xiangxian", "nonparty")
)


# The index's typical-case indicator reads the cases this app publishes, through the same
# metric hook other apps use (the index does not know where the number comes from).
def _typical_case_count(*, unit_id: int, start, end, **_scope) -> int:
    from grassroots.selectors.cases import published_case_count

    return published_case_count([unit_id], start, end).get(unit_id, 0)


def _typical_case_url(**_scope) -> str:
    from django.urls import reverse

    return reverse("grassroots:case-list") + "?status=published"


registry.register_metric(
    "grassroots.typical_case_count", _typical_case_count, url=_typical_case_url
)
