"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from alliances.views import alliances

# /alliances/… (namespace "alliances")
patterns = [
    path("", alliances.alliance_list, name="list"),
]

urlpatterns = [path("alliances/", include((patterns, "alliances")))]
