"""Export jobs: an Excel export too large for a request, built by a Celery worker.

A job is claimed like a delivery (Healthchecks' ``sendalerts``): a conditional UPDATE whose row
count must be 1 hands it to one worker with a lease, which its progress renews. A second copy of
the task finds nothing to claim; a worker that dies leaves the lease to expire, and the catch-up
(``export_jobs_requeue``, beat) hands the job over again, a few times at most.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exports import ExportParamsInvalid, build_export, params_to_json, write_workbook
from portal.models import ExportJob

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # renewed every few thousand rows
# A job still waiting this long after it was queued lost its message: queue it again.
PENDING_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 3

Status = ExportJob.Status


class _ClaimLost(Exception):
    """Another worker holds the job now (this one's lease ran out)."""


def _publish(job_id: int) -> None:
    from portal.tasks import run_export  # the tasks module imports the services

    def send():
        try:
            run_export.delay(job_id)
        except Exception as exc:  # the broker is away: the catch-up queues it again
            logger.warning("Export job %s stays queued (%s)", job_id, type(exc).__name__)

    transaction.on_commit(send, robust=True)


def export_request(
    *, user, kind: str, params: QueryDict | dict, total: int | None = None
) -> ExportJob:
    """Queue an export of ``kind`` with ``params`` for ``user`` (run after the commit). The
    parameters are checked first: ``ExportParamsInvalid`` when the builder refuses them."""
    json_params = params_to_json(params) if isinstance(params, QueryDict) else dict(params)
    if total is None:
        total = build_export(kind, json_params, user).total
    job = ExportJob.objects.create(
        owner=user,
        kind=kind,
        params=json_params,
        rows_total=total,
        claimed_until=timezone.now() + PENDING_GRACE,
    )
    _publish(job.pk)
    return job


def _claim(job_id: int, now: datetime) -> ExportJob | None:
    claimable = Q(status=Status.PENDING) | Q(status=Status.RUNNING, claimed_until__lt=now)
    claimed = ExportJob.objects.filter(claimable, pk=job_id, attempts__lt=MAX_ATTEMPTS).update(
        status=Status.RUNNING,
        claimed_until=now + LEASE,
        attempts=F("attempts") + 1,
        rows_done=0,
    )
    if claimed != 1:
        return None
    return ExportJob.objects.select_related("owner").get(pk=job_id)


def _mine(job: ExportJob):
    """The job as long as this run holds it (same attempt, still running)."""
    return ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)


def export_job_run(job_id: int) -> str:
    """Build the job's workbook and store it; returns the job's status afterwards. Safe to run
    twice: only one run claims a job, and a finished job is left as it is."""
    job = _claim(job_id, timezone.now())
    if job is None:
        status = ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status or ""

    def progress(rows: int) -> None:
        renewed = _mine(job).update(rows_done=rows, claimed_until=timezone.now() + LEASE)
        if renewed != 1:
            raise _ClaimLost

    name = ""
    try:
        export = build_export(job.kind, job.params, job.owner)
        _mine(job).update(rows_total=export.total)
        with tempfile.TemporaryFile(suffix=".xlsx") as target:
            written = write_workbook(export.sheets, target, on_progress=progress)
            target.seek(0)
            now = timezone.now()
            name = default_storage.save(
                f"exports/{now:%Y/%m}/{job.pk}-{uuid.uuid4().hex}.xlsx", File(target)
            )
        done = _mine(job).update(
            status=Status.DONE,
            file=name,
            filename=export.filename,
            rows_done=written,
            rows_total=written,
            claimed_until=None,
            finished_at=timezone.now(),
            error="",
        )
        if done != 1:
            raise _ClaimLost
    except _ClaimLost:
        if name:
            default_storage.delete(name)
        logger.info("Export job %s was taken over by another worker", job.pk)
    except ExportParamsInvalid as exc:
        _fail(job, str(exc))
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        if name:
            default_storage.delete(name)
        _fail(job, _("The export could not be built. Please try again later."))
    return ExportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _fail(job: ExportJob, error: str) -> None:
    _mine(job).update(
        status=Status.FAILED, error=error, claimed_until=None, finished_at=timezone.now()
    )


def export_jobs_requeue(now: datetime | None = None, *, limit: int = 100) -> int:
    """Queue again the jobs a lost message or a dead worker left behind; a job that has used
    its attempts fails. Reads only unfinished jobs (partial index). Returns how many were
    queued again."""
    now = now or timezone.now()
    stuck = ExportJob.objects.filter(
        status__in=[Status.PENDING, Status.RUNNING], claimed_until__lt=now
    )
    stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED,
        error=_("The export was interrupted too often. Please ask for it again."),
        claimed_until=None,
        finished_at=now,
    )
    ids = list(
        stuck.filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    # Pending ones get a new grace; a running one's expired lease lets the next run claim it.
    ExportJob.objects.filter(pk__in=ids, status=Status.PENDING).update(
        claimed_until=now + PENDING_GRACE
    )
    for job_id in ids:
        _publish(job_id)
    return len(ids)


def export_jobs_purge(now: datetime | None = None) -> int:
    """Delete finished jobs older than ``EXPORT_KEEP_DAYS`` and their workbooks (beat, nightly);
    a file goes only once its row is gone, so a failure leaves a job without losing its file
    silently. Returns the jobs deleted."""
    before = (now or timezone.now()) - timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(
        status__in=[Status.DONE, Status.FAILED], finished_at__lt=before
    ).values_list("pk", "file")
    return export_jobs_delete(list(old))


def export_jobs_delete(jobs: list[tuple[int, str]]) -> int:
    """Delete the jobs ``(pk, file name)`` and, after the commit, their files."""
    if not jobs:
        return 0
    with transaction.atomic():
        deleted, _by_model = ExportJob.objects.filter(pk__in=[pk for pk, _name in jobs]).delete()
        names = [name for _pk, name in jobs if name]
        transaction.on_commit(lambda: _delete_files(names))
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # already gone, or the disk refused: the row is gone either way
            logger.warning("export file %s could not be deleted", name, exc_info=True)
