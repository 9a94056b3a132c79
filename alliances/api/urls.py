"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from alliances.api.views import AllianceViewSet, CoverageView

routes = [("alliances", AllianceViewSet, "alliance")]

# Before the router's alliances/{id}/, so "coverage" is never read as an id.
urlpatterns = [
    path("alliances/coverage/", CoverageView.as_view(), name="alliance-coverage"),
]
