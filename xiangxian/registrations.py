"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entry, home
panel and notification kinds. Imported once, from ``XiangxianConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from portal import registry
from portal.registry import HomePanel, NavItem
from xiangxian.models.people import REGISTRY_ROLES

registry.register_urls("xiangxian.urls")
registry.register_api("xiangxian.api.urls")

registry.register_menu(
    NavItem(_("Xiangxian"), "xiangxian:list", "person-vcard", REGISTRY_ROLES, order=200),
)

# Notifications of events (会务), stored as "xiangxian.<name>".
for _name, _label in (
    ("invited", _("Event invitation")),
    ("promoted", _("Place confirmed from the waitlist")),
    ("changed", _("Programme changed")),
    ("reminder", _("Event reminder")),
):
    registry.register_notification_kind("xiangxian", _name, label=_label)


def _home_context(user) -> dict:
    from xiangxian.selectors import home_figures

    return {"xiangxian_home": home_figures(user)}


registry.register_home_panel(
    HomePanel(
        template="xiangxian/home/panel.html",
        roles=REGISTRY_ROLES,
        order=200,
        context=_home_context,
    )
)


def _seed(context: dict) -> dict:
    from xiangxian.demo import seed

    return seed(context)


registry.register_seeder("xiangxian", _seed, after=("portal",))


# Other apps (a grassroots typical case) name a xiangxian as ("xiangxian.person", id).
def _reference_labels(ids) -> dict[int, str]:
    from xiangxian.selectors.people import reference_labels

    return reference_labels(ids)


def _reference_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("xiangxian:detail", args=[pk])


registry.register_reference(
    "xiangxian.person", label=_("Xiangxian"), labels=_reference_labels, url=_reference_url
)


def _cockpit_history(user, periods, county):
    from xiangxian.selectors.cockpit import cockpit_history

    return cockpit_history(user, periods, county)


def _definitions():
    from xiangxian.selectors.cockpit import DEFINITIONS

    return DEFINITIONS


registry.register_section(
    "xiangxian",
    _("New xiangxian"),
    history=_cockpit_history,
    order=20,
    definitions=_definitions(),
)
