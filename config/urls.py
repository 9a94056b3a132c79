from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from portal import registry
from portal.views import accounts, cockpit, files, health, notifications, pages, regions

handler400 = "portal.views.errors.bad_request"
handler403 = "portal.views.errors.permission_denied"
handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"

# Pages of the shared core named in the ``portal`` namespace (older pages keep their plain names).
portal_patterns = [
    path(
        "notifications/preferences/",
        notifications.notification_preferences,
        name="notification-preferences",
    ),
    path("files/<int:pk>/", files.attachment_download, name="attachment"),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path(
        "notifications/read/", notifications.notification_mark_read, name="notification-mark-read"
    ),
    path("", include((portal_patterns, "portal"))),
    path("cockpit/", cockpit.cockpit_page, name="cockpit"),
    path("departments/", pages.department_list, name="department-list"),
    path("calendar/", pages.holiday_calendar, name="calendar"),
    path("regions/", regions.region_browser, name="region-browser"),
    path("regions/children/", regions.region_children, name="region-children"),
    path("regions/search/", regions.region_search, name="region-search"),
    path("exports/", include("portal.urls_exports")),
    path("imports/", include("portal.urls_imports")),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Each domain app's pages (portal.registry.register_urls in its AppConfig.ready).
    *registry.url_patterns(),
]
