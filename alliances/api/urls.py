"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from alliances.api.reports import FiguresView, ReportViewSet
from alliances.api.views import AllianceViewSet, CoverageView

# The reports before the router's alliances/{id}/, so "reports" is never read as an id.
routes = [
    ("alliances/reports", ReportViewSet, "alliance-report"),
    ("alliances", AllianceViewSet, "alliance"),
]

# Before the router's alliances/{id}/, so "coverage" and "figures" are never read as an id.
urlpatterns = [
    path("alliances/coverage/", CoverageView.as_view(), name="alliance-coverage"),
    path("alliances/figures/", FiguresView.as_view(), name="alliance-figures"),
]
