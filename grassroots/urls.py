"""The app's page URLs, included at the site's root through ``portal.registry.register_urls``."""

from django.urls import include, path

from grassroots.views import duties, index, units

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

urlpatterns = [path("grassroots/", include((patterns, "grassroots")))]
