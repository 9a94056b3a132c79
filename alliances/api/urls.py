"""The app's API, mounted under /api/v1/ by ``portal.registry.register_api``."""

routes: list = []

urlpatterns: list = []
