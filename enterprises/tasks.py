"""Celery tasks of the appeal loop: thin wrappers around services, safe to run twice."""

from celery import shared_task

from enterprises.services import reminders
from enterprises.services import sessions as session_services
from enterprises.services import stats as figures


@shared_task
def sweep_deadlines() -> str:
    """One deadline sweep (beat runs it every few minutes): reminders, escalation, auto-close."""
    return str(reminders.sweep_deadlines())


@shared_task
def send_overdue_digest() -> int:
    """The daily overdue digest for leaders and department heads (once a day each)."""
    return reminders.send_overdue_digest()


@shared_task
def send_session_reminders() -> int:
    """The day-before reminders of dialogue sessions (each recorded once; safe to run twice)."""
    return session_services.send_session_reminders()


@shared_task
def refresh_figures() -> int:
    """Rebuild the figures' roll-up for the days appeal steps marked (beat: every minute)."""
    return figures.refresh().days


@shared_task
def rebuild_figures() -> int:
    """Rebuild the whole roll-up (beat: nightly), repairing what changed without a mark."""
    figures.recount_handling_days(missing_only=True)
    return figures.rebuild().days


@shared_task
def compact_tally() -> int:
    """Fold the appeal tally into one row per status (beat: every minute)."""
    return figures.compact_tally()
