"""Import pages, included under ``imports/`` in the ``imports`` namespace."""

from django.urls import path

from portal.views import imports

app_name = "imports"

urlpatterns = [
    path("", imports.job_list, name="list"),
    path("new/", imports.job_new, name="new"),
    path("template/<str:kind>/", imports.kind_template, name="template"),
    path("<int:pk>/", imports.job_detail, name="job"),
    path("<int:pk>/check/", imports.job_check, name="job-check"),
    path("<int:pk>/apply/", imports.job_apply, name="job-apply"),
    path("<int:pk>/progress/", imports.job_progress, name="job-progress"),
    path("<int:pk>/rejected/", imports.job_rejected, name="job-rejected"),
]
