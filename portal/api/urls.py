from django.urls import include, path
from rest_framework.routers import SimpleRouter

from enterprises.api.views import RegisterView
from portal.api import views

router = SimpleRouter(trailing_slash=True)
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("notifications", views.NotificationViewSet, basename="notification")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("register/", RegisterView.as_view(), name="register"),
    path("", include(router.urls)),
]
