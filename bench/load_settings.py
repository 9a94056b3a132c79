"""Settings of the load run's server (``bench/load.py``): the portal's own, with one extra URL.

Only the URLconf differs, so that the run can measure a trivial view on the same server as the
framework's floor; production never loads this module. gunicorn imports ``config.wsgi`` (and so
the ``portal`` package, whose Celery app reads the settings) before this module, which is what
lets the import below finish; don't make it the first thing a process imports.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
