"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from xiangxian import views

# /xiangxian/… (namespace "xiangxian")
patterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("searches/", views.saved_search_create, name="search-save"),
    path("searches/<int:pk>/", views.saved_search_open, name="search-open"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="search-delete"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/numbers/", views.person_numbers, name="numbers"),
    path("<int:pk>/merge/", views.person_merge, name="merge"),
]

urlpatterns = [path("xiangxian/", include((patterns, "xiangxian")))]
