from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises (企呼我应)")

    def ready(self) -> None:
        from enterprises import exports, selectors  # noqa: F401  (export kinds, home panels)
        from enterprises.notifications import KIND_LABELS
        from portal.models.notifications import register_notification_kinds

        register_notification_kinds(KIND_LABELS)
