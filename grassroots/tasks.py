"""Celery tasks of the grassroots app: thin wrappers around services, safe to run twice."""

from celery import shared_task

from grassroots.services import visits


@shared_task
def send_followup_reminders() -> int:
    """Overdue follow-up items of supervision visits: their owners, each once (beat, daily)."""
    return visits.followup_reminders_sweep()
