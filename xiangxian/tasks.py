"""Celery tasks of the registry: thin wrappers around services, safe to run twice."""

from celery import shared_task

from xiangxian.services import event_reminders


@shared_task
def send_event_reminders() -> int:
    """The reminders of events due now (beat runs it every few minutes); each sent once."""
    return event_reminders.event_reminders_sweep()
