"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entry and demo
seeder. Imported once, from ``AlliancesConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from alliances.models import READER_ROLES
from portal import registry
from portal.registry import NavItem

registry.register_urls("alliances.urls")
registry.register_api("alliances.api.urls")

registry.register_menu(
    NavItem(_("Alliances"), "alliances:list", "diagram-3", READER_ROLES, order=300),
)


def _seed(context: dict) -> dict:
    from alliances.demo import seed

    return seed(context)


registry.register_seeder("alliances", _seed, after=("portal",))
