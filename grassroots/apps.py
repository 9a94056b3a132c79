from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrassrootsConfig(AppConfig):
    name = "grassroots"
    verbose_name = _("Grassroots united front (基层统战)")

    def ready(self) -> None:
        from grassroots import registrations  # noqa: F401  (menu, URLs, seeder)
