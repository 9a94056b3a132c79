"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path, re_path

from alliances.views import alliances, coverage, figures, reports

# /alliances/… (namespace "alliances")
patterns = [
    path("", alliances.alliance_list, name="list"),
    path("new/", alliances.alliance_create, name="create"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("<int:pk>/", alliances.alliance_detail, name="detail"),
    path("<int:pk>/edit/", alliances.alliance_edit, name="edit"),
    path("<int:pk>/members/", alliances.member_add, name="member-add"),
    path("members/<int:pk>/leave/", alliances.member_leave, name="member-leave"),
    path("<int:pk>/companies/", alliances.company_add, name="company-add"),
    path("<int:pk>/bases/", alliances.base_add, name="base-add"),
    path("<int:pk>/maker-teams/", alliances.maker_team_add, name="maker-team-add"),
    path("<int:pk>/activities/", alliances.activity_add, name="activity-add"),
    path("<int:pk>/tourism/", alliances.tourism_set, name="tourism-set"),
    # The villages' figures (村级报送) and the figures per period.
    path("reports/", reports.report_list, name="report-list"),
    path("reports/new/", reports.report_create, name="report-create"),
    path("reports/<int:pk>/", reports.report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report-edit"),
    path("reports/<int:pk>/correct/", reports.report_correct, name="report-correct"),
    re_path(
        r"^reports/(?P<pk>[0-9]+)/(?P<action>submit|check|approve|return)/$",
        reports.report_action,
        name="report-action",
    ),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/export/", figures.figures_export, name="figures-export"),
]

urlpatterns = [path("alliances/", include((patterns, "alliances")))]
