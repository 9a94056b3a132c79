from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from portal import demo, navigation, registry, signals  # noqa: F401  (audit, own menu)

        registry.register_seeder("portal", demo.seed)
        registry.register_notification_kind(
            "portal", "calendar_missing_year", label=_("Holiday calendar")
        )
