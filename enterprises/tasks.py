"""Celery tasks of the appeal loop: thin wrappers around services, safe to run twice."""

from celery import shared_task

from enterprises import services


@shared_task
def close_unrated_replies() -> int:
    """Close replies left unrated for the configured number of working days."""
    return services.close_unrated_replies()
