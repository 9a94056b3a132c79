"""Celery tasks of the alliances: thin wrappers around services, safe to run twice."""

from celery import shared_task

from alliances.services import reminders


@shared_task
def send_report_reminders() -> int:
    """Reminders of the villages' figures that are late (beat runs it hourly); each sent once."""
    return reminders.report_reminders_sweep()
