"""How the app plugs into the portal (``portal.registry``): its pages, API, menu entry and
demo seeder. Imported once, from ``NonpartyConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from nonparty.models.people import ARCHIVE_ROLES
from portal import registry
from portal.registry import NavItem

registry.register_urls("nonparty.urls")
registry.register_api("nonparty.api.urls")

registry.register_menu(
    NavItem(_("Non-party people"), "nonparty:list", "people", ARCHIVE_ROLES, order=250, more=True),
)

registry.register_notification_kind("nonparty", "talks_behind", label=_("Talks behind plan"))


def _seed(context: dict) -> dict:
    from nonparty.demo import seed

    return seed(context)


registry.register_seeder("nonparty", _seed, after=("portal",))
