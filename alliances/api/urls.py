"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from alliances.api.reports import FiguresView, ReportViewSet

# Before any ``alliances/{id}/`` route, so that "reports" is not read as an alliance's id.
routes: list = [
    ("alliances/reports", ReportViewSet, "alliance-report"),
]

urlpatterns: list = [
    path("alliances/figures/", FiguresView.as_view(), name="alliance-figures"),
]
