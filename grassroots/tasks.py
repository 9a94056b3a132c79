"""The app's Celery tasks: thin wrappers around services."""

from celery import shared_task


@shared_task
def send_duty_reminders() -> int:
    """Remind each unit's person in charge of overdue duties (once per item and period)."""
    from grassroots.services.duties import send_duty_reminders as send

    return send()
