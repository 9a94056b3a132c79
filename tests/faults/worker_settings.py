"""Settings of the Celery worker that ``test_worker_killed.py`` starts and kills: the portal's,
with a delivery lease of a few seconds instead of five minutes, so that the test can wait for it
to run out. ``celery -A config`` imports the portal package (and its Celery app, which reads
these settings) before this module, which is what lets the import below finish.
"""

import os

from config.settings import *  # noqa: F403

DELIVERY_LEASE_SECONDS = int(os.environ.get("TEST_DELIVERY_LEASE_SECONDS", "3"))
