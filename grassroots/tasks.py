"""The app's Celery tasks: thin wrappers around services."""

from celery import shared_task


@shared_task
def send_duty_reminders() -> int:
    """Remind each unit's person in charge of overdue duties (once per item and period)."""
    from grassroots.services.duties import send_duty_reminders as send

    return send()


@shared_task
def send_followup_reminders() -> int:
    """Overdue follow-up items of supervision visits: their owners, each once (beat, daily)."""
    from grassroots.services.visits import followup_reminders_sweep

    return followup_reminders_sweep()
