"""The one Celery app. With REDIS_URL it talks to Redis; without it, to a filesystem broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tongxin")
app.config_from_object("django.conf:settings", namespace="CELERY")
if app.conf.broker_url.startswith("filesystem"):
    # The filesystem transport has no fan-out exchanges, so no remote control or events.
    app.conf.worker_enable_remote_control = False
    app.conf.worker_send_task_events = False
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        os.makedirs(app.conf.broker_transport_options[key], exist_ok=True)
if app.conf.result_backend and app.conf.result_backend.startswith("file://"):
    os.makedirs(app.conf.result_backend.removeprefix("file://"), exist_ok=True)
app.autodiscover_tasks()
