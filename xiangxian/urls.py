"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from xiangxian.views import associations, contributions, events, people, services

# /xiangxian/… (namespace "xiangxian")
patterns = [
    path("", people.person_list, name="list"),
    path("export/", people.person_export, name="export"),
    path("new/", people.person_create, name="create"),
    path("searches/", people.saved_search_create, name="search-save"),
    path("searches/<int:pk>/", people.saved_search_open, name="search-open"),
    path("searches/<int:pk>/delete/", people.saved_search_delete, name="search-delete"),
    path("merges/<int:pk>/undo/", people.merge_undo, name="merge-undo"),
    path("<int:pk>/", people.person_detail, name="detail"),
    path("<int:pk>/edit/", people.person_edit, name="edit"),
    path("<int:pk>/numbers/", people.person_numbers, name="numbers"),
    path("<int:pk>/merge/", people.person_merge, name="merge"),
    # Events (会务)
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:pk>/programme/new/", events.programme_add, name="programme-add"),
    path("events/programme/<int:pk>/edit/", events.programme_edit, name="programme-edit"),
    path("events/<int:pk>/invite/", events.event_invite, name="event-invite"),
    path("events/<int:pk>/check-in/", events.event_check_in, name="event-check-in"),
    path(
        "events/invitations/<int:pk>/itinerary/",
        events.invitation_itinerary_edit,
        name="invitation-itinerary",
    ),
    # The invitee's private page: no sign-in, the token is the secret.
    path("i/<str:token>/", events.invitation_page, name="invitation"),
    path("i/<str:token>/reminders/", events.invitation_reminders, name="invitation-reminders"),
    # Services (十项服务)
    path("services/", services.service_list, name="service-list"),
    path("<int:pk>/services/new/", services.service_create, name="service-create"),
    path("services/<int:pk>/edit/", services.service_edit, name="service-edit"),
    path("services/<int:pk>/delete/", services.service_delete, name="service-delete"),
    # Contributions (反哺)
    path("contributions/", contributions.contribution_list, name="contribution-list"),
    path(
        "<int:pk>/contributions/new/",
        contributions.contribution_create,
        name="contribution-create",
    ),
    path("contributions/<int:pk>/", contributions.contribution_detail, name="contribution-detail"),
    path("contributions/<int:pk>/edit/", contributions.contribution_edit, name="contribution-edit"),
    path(
        "contributions/<int:pk>/files/",
        contributions.contribution_attach,
        name="contribution-attach",
    ),
    # Associations (联谊会)
    path("associations/", associations.association_list, name="association-list"),
    path("associations/new/", associations.association_create, name="association-create"),
    path("associations/<int:pk>/", associations.association_detail, name="association-detail"),
    path("associations/<int:pk>/edit/", associations.association_edit, name="association-edit"),
    path(
        "associations/<int:pk>/members/",
        associations.association_member_add,
        name="association-member-add",
    ),
    path(
        "associations/members/<int:pk>/remove/",
        associations.association_member_remove,
        name="association-member-remove",
    ),
    path(
        "associations/<int:pk>/officers/",
        associations.association_officer_set,
        name="association-officer-set",
    ),
]

urlpatterns = [path("xiangxian/", include((patterns, "xiangxian")))]
