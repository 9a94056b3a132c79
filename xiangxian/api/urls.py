"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from django.urls import path

from xiangxian.api.views import EventViewSet, XiangxianStatsView, XiangxianViewSet

routes = [
    ("xiangxian/events", EventViewSet, "xiangxian-event"),
    ("xiangxian", XiangxianViewSet, "xiangxian"),
]

urlpatterns = [
    path("xiangxian/stats/", XiangxianStatsView.as_view(), name="xiangxian-stats"),
]
