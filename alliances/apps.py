from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliances (奔富联盟)")

    def ready(self) -> None:
        from alliances import registrations  # noqa: F401  (registries)
