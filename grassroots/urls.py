"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from grassroots.views import units

# /grassroots/… (namespace "grassroots")
patterns = [
    path("", units.unit_list, name="list"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
]

urlpatterns = [path("grassroots/", include((patterns, "grassroots")))]
