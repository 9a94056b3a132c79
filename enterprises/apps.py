from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("Enterprises (企呼我应)")

    def ready(self) -> None:
        from enterprises import exports, registrations  # noqa: F401  (export kinds, registries)
