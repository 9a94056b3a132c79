"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from grassroots.api.views import UnitViewSet

routes = [
    ("grassroots/units", UnitViewSet, "grassroots-unit"),
]

urlpatterns = []
