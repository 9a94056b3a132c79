"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from grassroots.views import cases, duties, index, units, visits

# /grassroots/… (namespace "grassroots")
patterns = [
    path("", units.unit_list, name="list"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("units/<int:pk>/records/new/", duties.record_add, name="record-add"),
    path("index/", index.index_ranking, name="index"),
    path("periods/", index.period_list, name="periods"),
    path("periods/<str:key>/", index.period_detail, name="period"),
    path("periods/<str:key>/<slug:action>/", index.period_action, name="period-action"),
    path("periods/<str:key>/units/<int:pk>/", index.unit_score, name="unit-score"),
    path("periods/<str:key>/units/<int:pk>/score/", index.unit_score_save, name="unit-score-save"),
]
patterns += [
    path("visits/", visits.visit_list, name="visit-list"),
    path("visits/new/", visits.visit_new, name="visit-new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit-edit"),
    path("follow-ups/<int:pk>/close/", visits.follow_up_close, name="follow-up-close"),
    path("ties/", visits.ties, name="ties"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", cases.case_edit, name="case-edit"),
    path(
        "cases/<int:pk>/<str:action>/",
        cases.case_action,
        name="case-action",
    ),
    path("cases/<int:pk>/photos/<int:photo_pk>/", cases.case_photo, name="case-photo"),
]

urlpatterns = [path("grassroots/", include((patterns, "grassroots")))]
