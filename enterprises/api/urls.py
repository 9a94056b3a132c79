"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from enterprises.api.sessions import DialogueSessionViewSet, ScreenViewSet
from enterprises.api.stats import AppealStatsView
from enterprises.api.views import AppealCategoryViewSet, AppealViewSet, RegisterView

routes = [
    ("appeal-categories", AppealCategoryViewSet, "appeal-category"),
    ("appeals", AppealViewSet, "appeal"),
    ("sessions", DialogueSessionViewSet, "session"),
    ("screens", ScreenViewSet, "screen"),
]

urlpatterns = [
    path("register/", RegisterView.as_view(), name="register"),
    path("stats/appeals/", AppealStatsView.as_view(), name="stats-appeals"),
]
