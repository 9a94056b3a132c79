"""The project package: settings, the root URLconf, the Celery app and WSGI.

``portal`` and the domain apps are apps like Django's own; this package puts them together.
"""

# Load the Celery app whenever Django starts, so @shared_task binds to it.
from config.celery import app as celery_app

__all__ = ("celery_app",)
