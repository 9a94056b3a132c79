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
registry.register_notification_kind(
    "nonparty", "evaluation_returned", label=_("Evaluation returned to the cadre")
)
registry.register_notification_kind(
    "nonparty", "evaluation_reviewed", label=_("Evaluation reviewed")
)


def _seed(context: dict) -> dict:
    from nonparty.demo import seed

    return seed(context)


registry.register_seeder("nonparty", _seed, after=("portal",))

# The people list as an export kind (nonparty.people).
import nonparty.exports  # noqa: E402, F401


# Other apps (a grassroots typical case) name a non-party person as ("nonparty.person", id).
def _reference_labels(ids) -> dict[int, str]:
    from nonparty.selectors.people import reference_labels

    return reference_labels(ids)


def _reference_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("nonparty:detail", args=[pk])


registry.register_reference(
    "nonparty.person",
    label=_("Non-party person"),
    labels=_reference_labels,
    url=_reference_url,
)


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
