"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from alliances.views import alliances, figures, reports

# /alliances/… (namespace "alliances")
patterns = [
    path("", alliances.alliance_list, name="list"),
    # The villages' figures (村级报送) and the figures per period.
    path("reports/", reports.report_list, name="report-list"),
    path("reports/new/", reports.report_create, name="report-create"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/correct/", reports.report_correct, name="report-correct"),
    path("reports/<int:pk>/<str:action>/", reports.report_action, name="report-action"),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/export/", figures.figures_export, name="figures-export"),
]

urlpatterns = [path("alliances/", include((patterns, "alliances")))]
