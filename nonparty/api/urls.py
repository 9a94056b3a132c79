"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from nonparty.api.associations import PresidentReportViewSet
from nonparty.api.evaluation import EvaluationViewSet
from nonparty.api.views import BatchViewSet, PersonViewSet, TalkPlanView

routes = [
    ("nonparty/people", PersonViewSet, "nonparty-person"),
    ("nonparty/batches", BatchViewSet, "nonparty-batch"),
    ("nonparty/evaluations", EvaluationViewSet, "nonparty-evaluation"),
    ("nonparty/president-reports", PresidentReportViewSet, "nonparty-president-report"),
]

urlpatterns = [
    path("nonparty/talk-plans/", TalkPlanView.as_view(), name="nonparty-talk-plans"),
]
