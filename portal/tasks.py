"""Celery tasks of the shared core: thin wrappers around services, safe to run twice."""

from celery import shared_task
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import workdays
from portal.models import Role, User
from portal.services import (
    deliveries_requeue,
    deliveries_send,
    export_job_run,
    export_jobs_purge,
    export_jobs_requeue,
    import_job_run,
    import_jobs_requeue,
    notify,
)


@shared_task
def check_calendar_coverage() -> list[int]:
    """Tell administrators (once a day per year) when the holiday table misses a year ahead."""
    missing = workdays.missing_years_ahead()
    for year in missing:
        # One reminder a day per year: the cache key claims it, so a retry sends nothing new.
        if not cache.add(f"calendar-coverage-notified:{year}", True, timeout=24 * 60 * 60):
            continue
        admins = User.objects.filter(role=Role.ADMIN, is_active=True)
        notify(
            recipients=admins,
            kind="portal.calendar_missing_year",
            title=_("The holiday calendar has no arrangement for %(year)s yet") % {"year": year},
            body=_(
                "Deadlines in %(year)s are counted Monday to Friday until the State Council's "
                "arrangement is entered in the holiday table."
            )
            % {"year": year},
            url=reverse("admin:portal_calendarday_changelist"),
        )
    return missing


@shared_task(ignore_result=True)
def deliver(delivery_ids: list[int]) -> dict[str, int]:
    """Send these deliveries (at most a chunk of ids); each is claimed, so a rerun sends none
    twice. The result is ignored: publishing must not touch the result backend."""
    return deliveries_send(delivery_ids)


@shared_task(ignore_result=True)
def requeue_deliveries() -> int:
    """The catch-up (beat, every minute): hand over what the broker or a dead worker left."""
    return deliveries_requeue()


@shared_task(ignore_result=True)
def run_export(job_id: int) -> str:
    """Build an export job's workbook; a second copy finds the job claimed and does nothing."""
    return export_job_run(job_id)


@shared_task(ignore_result=True)
def requeue_exports() -> int:
    """The catch-up (beat, every minute): queue again jobs a lost message or dead worker left."""
    return export_jobs_requeue()


@shared_task(ignore_result=True)
def purge_exports() -> int:
    """Nightly: finished export jobs past their keeping time go, with their files."""
    return export_jobs_purge()


@shared_task(ignore_result=True)
def run_import(job_id: int) -> str:
    """Apply a queued import job; a second copy finds the job claimed and does nothing."""
    return import_job_run(job_id)


@shared_task(ignore_result=True)
def requeue_imports() -> int:
    """The catch-up (beat, every minute): queue again jobs a lost message or dead worker left."""
    return import_jobs_requeue()
