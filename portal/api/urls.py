from django.urls import include, path
from rest_framework.routers import SimpleRouter

from enterprises.api.sessions import DialogueSessionViewSet, ScreenViewSet
from enterprises.api.stats import AppealStatsView
from enterprises.api.views import AppealCategoryViewSet, AppealViewSet, RegisterView
from portal.api import views

router = SimpleRouter(trailing_slash=True)
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("appeal-categories", AppealCategoryViewSet, basename="appeal-category")
router.register("appeals", AppealViewSet, basename="appeal")
router.register("sessions", DialogueSessionViewSet, basename="session")
router.register("screens", ScreenViewSet, basename="screen")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("register/", RegisterView.as_view(), name="register"),
    path("stats/appeals/", AppealStatsView.as_view(), name="stats-appeals"),
    path("", include(router.urls)),
]
