"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from alliances.views import alliances, coverage

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
]

urlpatterns = [path("alliances/", include((patterns, "alliances")))]
