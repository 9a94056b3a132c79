"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

from grassroots.api.views import UnitViewSet

routes = [
    ("grassroots/units", UnitViewSet, "grassroots-unit"),
]

urlpatterns = []

# Supervision visits and the typical-case library.
from grassroots.api.cases import CaseViewSet  # noqa: E402
from grassroots.api.visits import FollowUpViewSet, VisitViewSet  # noqa: E402

routes += [
    ("grassroots/visits", VisitViewSet, "grassroots-visit"),
    ("grassroots/follow-ups", FollowUpViewSet, "grassroots-follow-up"),
    ("grassroots/cases", CaseViewSet, "grassroots-case"),
]
