"""Import jobs: an uploaded sheet mapped, checked (dry run), then applied.

Every import is an ``ImportJob``, so a person's history is there to look at. Applying a file of
more than ``IMPORT_JOB_THRESHOLD`` rows is a Celery task (queued after the commit); smaller files
run in the request through the same ``import_job_run``. A run is claimed with a conditional
UPDATE whose row count must be 1 (queued → running), so a second copy of the task does nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.files import store_upload
from portal.imports import (
    IMPORT_JOB_THRESHOLD,
    CheckedRow,
    ImportKind,
    RowError,
    WriteCounts,
    check_rows,
    check_workbook,
    import_kind,
    mapping_problems,
    no_rows,
    normalise_header,
    read_sheet,
    refuse,
    report_of,
    suggest_mapping,
)
from portal.models import AuditLog, ImportJob, ImportMapping
from portal.services.audit import audit_record

logger = logging.getLogger(__name__)

Status = ImportJob.Status
Mode = ImportJob.Mode
WRITE_BATCH = 500
# A job still queued this long lost its message; one running this long lost its worker (a
# whole import's writes are one transaction per batch, so what a dead worker wrote is rolled
# back or, in valid-rows mode, written again as unchanged).
PENDING_GRACE = timedelta(minutes=2)
RUNNING_LEASE = timedelta(minutes=30)
MAX_ATTEMPTS = 3


def _kind_for(user, kind: str) -> ImportKind:
    spec = import_kind(kind)
    if not spec.allowed(user):
        raise PermissionDenied
    return spec


def saved_mapping(user, kind: str) -> dict:
    found = ImportMapping.objects.filter(user=user, kind=kind).values_list("mapping", flat=True)
    return dict(found.first() or {})


def import_upload(*, user, kind: str, file, strict_headers: bool = False) -> ImportJob:
    """Keep ``file`` as a new job of ``kind`` for ``user``, with its headers, its row count
    and a mapping suggested from the person's last choices. Raises ``PermissionDenied`` for a
    kind the person may not use and ``ValidationError({"file": …})`` for an unusable file
    (with ``strict_headers``, also for headers the suggestion cannot map every required
    column from)."""
    spec = _kind_for(user, kind)
    checked = check_workbook(file, max_bytes=spec.max_bytes)
    sheet = read_sheet(file, max_rows=spec.max_rows, require_rows=False)
    job = ImportJob(kind=kind, headers=sheet.headers, rows_total=len(sheet.rows))
    job.mapping = suggest_mapping(spec, sheet.headers, saved_mapping(user, kind))
    if strict_headers and mapping_problems(spec, job.mapping):
        chosen = set(job.mapping.values())
        missing = [c.header for c in spec.columns if c.required and c.key not in chosen]
        raise refuse(
            _(
                "Row 1 of the first sheet must hold the headers %(expected)s; missing: "
                "%(missing)s. Start from the template."
            )
            % {"expected": "、".join(c.header for c in spec.columns), "missing": "、".join(missing)}
        )
    if not sheet.rows:
        raise no_rows()
    with transaction.atomic():
        store_upload(job, file, actor=user, checked=checked)
    return job


def _read(job: ImportJob, spec: ImportKind):
    with job.file.open("rb") as stored:
        return read_sheet(stored, max_rows=spec.max_rows)


def import_check(*, job: ImportJob, mapping: dict, user) -> ImportJob:
    """The dry run: remember ``mapping`` (sheet header → column key) for the person and kind,
    check every row and keep the report of rejected rows. Nothing is written to the kind's
    records. Raises ``ValidationError`` when the mapping is unusable."""
    spec = _kind_for(user, job.kind)
    if job.status not in (Status.UPLOADED, Status.CHECKED):
        raise ValidationError(_("This import has already been applied."))
    mapping = {normalise_header(h): key for h, key in mapping.items() if normalise_header(h)}
    problems = mapping_problems(spec, mapping)
    if problems:
        raise ValidationError(problems)
    remembered, _created = ImportMapping.objects.get_or_create(user=user, kind=job.kind)
    remembered.mapping = {**remembered.mapping, **mapping}
    remembered.save(update_fields=["mapping", "updated_at"])

    rows = check_rows(
        spec, _read(job, spec), mapping, context=spec.context() if spec.context else None
    )
    job.mapping = mapping
    job.report = report_of(rows)
    job.rows_total = len(rows)
    job.rejected = len(job.report)
    job.status = Status.CHECKED
    job.save(update_fields=["mapping", "report", "rows_total", "rejected", "status"])
    return job


def _publish(job_id: int) -> None:
    from portal.tasks import run_import  # the tasks module imports the services

    def send():
        try:
            run_import.delay(job_id)
        except Exception as exc:  # the broker is away: the job stays queued, visible as such
            logger.warning("Import job %s stays queued (%s)", job_id, type(exc).__name__)

    transaction.on_commit(send, robust=True)


def import_apply(*, job: ImportJob, mode: str, user, request=None) -> ImportJob:
    """Apply a checked job: ``mode`` all rows or none, or the valid rows only. A large file is
    queued for a worker (after the commit); a small one runs now. Returns the job reloaded."""
    _kind_for(user, job.kind)
    if mode not in Mode.values:
        raise ValidationError(_("Choose how to import the rows."))
    queued = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
        status=Status.QUEUED, mode=mode, progress=0, queued_at=timezone.now()
    )
    if queued != 1:
        job.refresh_from_db(fields=["status"])
        if job.status == Status.UPLOADED:
            raise ValidationError(_("Check the rows first (dry run), then import them."))
        raise ValidationError(_("This import has already been applied."))
    if job.rows_total > IMPORT_JOB_THRESHOLD:
        _publish(job.pk)
    else:
        import_job_run(job.pk, request=request)
    job.refresh_from_db()
    return job


def _progress(job_id: int, percent: int) -> None:
    ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(progress=percent)


def import_job_run(job_id: int, *, request=None) -> str:
    """Check the job's rows again and write them as its mode says, with one audit row for the
    counts; returns the job's status afterwards. Safe to run twice: only one run claims it."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status=Status.QUEUED, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=Status.RUNNING, progress=0, queued_at=timezone.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    try:
        spec = import_kind(job.kind)
        sheet = _read(job, spec)
        total = max(1, len(sheet.rows))
        rows = check_rows(
            spec,
            sheet,
            job.mapping,
            context=spec.context() if spec.context else None,
            on_progress=lambda done: _progress(job.pk, done * 50 // total),
        )
        _write(job, spec, rows, request=request)
    except ValidationError as exc:
        _fail(job, " ".join(exc.messages))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        _fail(job, _("The import could not be finished. Please try again later."))
    return ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _write(job: ImportJob, spec: ImportKind, rows: list[CheckedRow], *, request) -> None:
    valid = [row.values for row in rows if row.ok]
    report = report_of(rows)
    job.report, job.rows_total, job.rejected = report, len(rows), len(report)
    if job.mode == Mode.ALL_OR_NOTHING and report:
        job.save(update_fields=["report", "rows_total", "rejected"])
        raise refuse(
            _(
                "Nothing was imported: %(count)d of %(rows)d rows have problems. Correct them, "
                "or import the valid rows only."
            )
            % {"count": len(report), "rows": len(rows)}
        )
    note = _("Excel import: %(file)s") % {"file": job.name[:100]}
    counts = WriteCounts()
    # All or nothing: one transaction. Valid rows only: a transaction per batch, so the page
    # can show the progress; a batch the writer refuses fails the job with what came before.
    batch = len(valid) if job.mode == Mode.ALL_OR_NOTHING else WRITE_BATCH
    with transaction.atomic():
        for start in range(0, max(1, len(valid)), max(1, batch)):
            with transaction.atomic():
                part = spec.write(
                    valid[start : start + batch], actor=job.uploaded_by, note=note, request=request
                )
            counts = WriteCounts(
                counts.created + part.created,
                counts.updated + part.updated,
                counts.unchanged + part.unchanged,
            )
            if job.mode == Mode.VALID_ONLY:
                done = min(len(valid), start + batch)
                _progress(job.pk, 50 + done * 50 // max(1, len(valid)))
        job.created, job.updated, job.unchanged = counts.created, counts.updated, counts.unchanged
        job.status, job.progress, job.finished_at, job.error = (
            Status.DONE,
            100,
            timezone.now(),
            "",
        )
        job.save()
        audit_record(
            actor=job.uploaded_by,
            action=AuditLog.Action.IMPORT,
            target=job,
            note=_(
                "%(kind)s: %(total)d rows, %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged, %(rejected)d rejected (%(file)s)"
            )
            % {
                "kind": job.kind,
                "total": job.rows_total,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
                "rejected": job.rejected,
                "file": job.name[:100],
            },
            request=request,
        )


def _fail(job: ImportJob, error: str) -> None:
    ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED,
        error=error,
        finished_at=timezone.now(),
        report=job.report,
        rows_total=job.rows_total,
        rejected=job.rejected,
        created=0,
        updated=0,
        unchanged=0,
    )


def import_jobs_requeue(now: datetime | None = None, *, limit: int = 100) -> int:
    """Queue again the jobs a lost message or a dead worker left behind; a job that has used
    its attempts fails. Returns how many were queued again."""
    now = now or timezone.now()
    stuck = ImportJob.objects.filter(
        Q(status=Status.QUEUED, queued_at__lt=now - PENDING_GRACE)
        | Q(status=Status.RUNNING, queued_at__lt=now - RUNNING_LEASE)
    )
    stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED,
        error=_("The import was interrupted too often. Please upload the file again."),
        finished_at=now,
    )
    ids = list(
        stuck.filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    ImportJob.objects.filter(pk__in=ids).update(status=Status.QUEUED, queued_at=now)
    for job_id in ids:
        _publish(job_id)
    return len(ids)


def import_file(
    kind: str, *, actor, file, mode: str = Mode.ALL_OR_NOTHING, request=None
) -> tuple[ImportJob, list[RowError]]:
    """Upload, map by the suggestion and apply at once, in this process (scripts and tests):
    the job and its row errors. Raises ``ValidationError({"file": …})`` when the file is
    unusable or its headers miss a required column."""
    job = import_upload(user=actor, kind=kind, file=file, strict_headers=True)
    job = import_check(job=job, mapping=job.mapping, user=actor)
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.QUEUED, mode=mode, queued_at=timezone.now()
    )
    import_job_run(job.pk, request=request)
    job.refresh_from_db()
    return job, report_errors(job)


def report_errors(job: ImportJob) -> list[RowError]:
    return [
        RowError(entry["row"], error["column"], error["message"])
        for entry in job.report
        for error in entry["errors"]
    ]
