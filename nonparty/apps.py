from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NonpartyConfig(AppConfig):
    name = "nonparty"
    verbose_name = _("Non-party people (无党派人士)")

    def ready(self) -> None:
        from nonparty import registrations  # noqa: F401  (menu, URLs, seeder)
