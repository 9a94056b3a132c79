"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from xiangxian import event_views, views

# /xiangxian/… (namespace "xiangxian")
patterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("new/", views.person_create, name="create"),
    path("searches/", views.saved_search_create, name="search-save"),
    path("searches/<int:pk>/", views.saved_search_open, name="search-open"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="search-delete"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("events/", event_views.event_list, name="event-list"),
    path("events/new/", event_views.event_create, name="event-create"),
    path("events/<int:pk>/", event_views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", event_views.event_edit, name="event-edit"),
    path("events/<int:pk>/programme/new/", event_views.programme_add, name="programme-add"),
    path("events/programme/<int:pk>/edit/", event_views.programme_edit, name="programme-edit"),
    path("events/<int:pk>/invite/", event_views.event_invite, name="event-invite"),
    path("events/<int:pk>/check-in/", event_views.event_check_in, name="event-check-in"),
    path(
        "events/invitations/<int:pk>/itinerary/",
        event_views.invitation_itinerary_edit,
        name="invitation-itinerary",
    ),
    # The invitee's private page: no sign-in, the token is the secret.
    path("i/<str:token>/", event_views.invitation_page, name="invitation"),
    path("i/<str:token>/reminders/", event_views.invitation_reminders, name="invitation-reminders"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/numbers/", views.person_numbers, name="numbers"),
    path("<int:pk>/merge/", views.person_merge, name="merge"),
]

urlpatterns = [path("xiangxian/", include((patterns, "xiangxian")))]
