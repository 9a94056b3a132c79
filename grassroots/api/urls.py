"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from grassroots.api.views import (
    IndexView,
    PeriodActionView,
    PeriodListView,
    PeriodScoreView,
    UnitViewSet,
)

routes = [
    ("grassroots/units", UnitViewSet, "grassroots-unit"),
]

urlpatterns = [
    path("grassroots/index/", IndexView.as_view(), name="grassroots-index"),
    path("grassroots/periods/", PeriodListView.as_view(), name="grassroots-periods"),
    path(
        "grassroots/periods/<str:key>/score/",
        PeriodScoreView.as_view(),
        name="grassroots-period-score",
    ),
    path(
        "grassroots/periods/<str:key>/correct/",
        PeriodScoreView.as_view(correct=True),
        name="grassroots-period-correct",
    ),
    path(
        "grassroots/periods/<str:key>/<str:action>/",
        PeriodActionView.as_view(),
        name="grassroots-period-action",
    ),
]

# Supervision visits and the typical-case library.
from grassroots.api.cases import CaseViewSet  # noqa: E402
from grassroots.api.visits import FollowUpViewSet, VisitViewSet  # noqa: E402

routes += [
    ("grassroots/visits", VisitViewSet, "grassroots-visit"),
    ("grassroots/follow-ups", FollowUpViewSet, "grassroots-follow-up"),
    ("grassroots/cases", CaseViewSet, "grassroots-case"),
]
