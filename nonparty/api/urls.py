"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from nonparty.api.views import BatchViewSet, PersonViewSet

routes = [
    ("nonparty/people", PersonViewSet, "nonparty-person"),
    ("nonparty/batches", BatchViewSet, "nonparty-batch"),
]

urlpatterns = []
