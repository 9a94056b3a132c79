from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from portal import (  # noqa: F401  (audit, own menu)
            demo,
            navigation,
            registry,
            signals,
            tasks,
        )
        from portal.services import deliveries

        registry.register_seeder("portal", demo.seed)
        # The tasks wrap the services, so the services never import them: the outbox gets the
        # task that carries its deliveries to a worker here.
        deliveries.deliveries_use_task(tasks.deliver)
        registry.register_notification_kind(
            "portal", "calendar_missing_year", label=_("Holiday calendar")
        )
