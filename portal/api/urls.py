"""/api/v1/: the portal's own endpoints and every app's (``portal.registry.register_api``)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from portal import registry
from portal.api import views
from portal.views.cockpit import CockpitView

router = SimpleRouter(trailing_slash=True)
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("notifications", views.NotificationViewSet, basename="notification")

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("cockpit/", CockpitView.as_view(), name="cockpit"),
]
for module in registry.api_modules():
    for prefix, viewset, basename in getattr(module, "routes", ()):
        router.register(prefix, viewset, basename=basename)
    urlpatterns += getattr(module, "urlpatterns", [])
urlpatterns.append(path("", include(router.urls)))
