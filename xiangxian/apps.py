from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XiangxianConfig(AppConfig):
    name = "xiangxian"
    verbose_name = _("New xiangxian (新乡贤)")

    def ready(self) -> None:
        from xiangxian import exports, imports, registrations  # noqa: F401  (kinds, registries)
