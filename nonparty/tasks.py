"""Celery tasks of the archive: thin wrappers around services, safe to run twice."""

from celery import shared_task

from nonparty.services import talks


@shared_task
def send_talk_reminders() -> int:
    """The monthly reminders of cadres behind their talk plan; each cadre told once a month."""
    return talks.talk_reminders_sweep()
