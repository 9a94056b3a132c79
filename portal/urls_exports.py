"""Export jobs' pages, included under ``exports/`` in the ``exports`` namespace."""

from django.urls import path

from portal.views import exports

app_name = "exports"

urlpatterns = [
    path("", exports.job_list, name="list"),
    path("<int:pk>/", exports.job_detail, name="job"),
    path("<int:pk>/progress/", exports.job_progress, name="job-progress"),
    path("<int:pk>/download/", exports.job_download, name="job-download"),
]
