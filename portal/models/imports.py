from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models.files import StoredFile
from portal.scoping import ScopedQuerySet


class ImportMapping(models.Model):
    """How one person's sheets map onto one import kind's columns, remembered between imports:
    the second import of the same sheet maps itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="import_mappings",
    )
    kind = models.CharField(_("kind"), max_length=100)
    # normalised sheet header -> column key ("" for a column the person chose to ignore)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="import_mapping_per_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class ImportJobQuerySet(ScopedQuerySet):
    # A job holds its owner's file and report: nobody else sees it.
    owner_only = True

    def scope_q(self, user):
        return Q(uploaded_by=user)


class ImportJob(StoredFile):
    """One uploaded sheet on its way in: mapped, checked (dry run), then applied, in the request
    or, for a large file, by a Celery worker. ``uploaded_by`` is its owner."""

    storage_folder = "imports"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("to be mapped")
        CHECKED = "checked", _("checked")
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("all rows or none")
        VALID_ONLY = "valid", _("valid rows only")

    kind = models.CharField(_("kind"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, blank=True)
    headers = models.JSONField(_("sheet headers"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # The rejected rows of the last check or run: [{"row", "cells", "errors": [{"column",
    # "message"}]}], the original cells kept for the download of rejected rows.
    report = models.JSONField(_("report"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Queued: when the message was sent; running: when the worker claimed it. The catch-up
    # queues again a job left here too long (a lost message, a dead worker).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta(StoredFile.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["uploaded_by", "-uploaded_at"], name="import_job_by_owner"),
            models.Index(
                fields=["status", "queued_at"],
                name="import_job_unfinished",
                condition=Q(status__in=["queued", "running"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="import_job_status_valid",
                condition=Q(
                    status__in=["uploaded", "checked", "queued", "running", "done", "failed"]
                ),
            ),
            models.CheckConstraint(
                name="import_job_progress_percent", condition=Q(progress__lte=100)
            ),
            models.CheckConstraint(
                name="import_job_mode_valid", condition=Q(mode__in=["", "all", "valid"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def owner(self):
        return self.uploaded_by

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def valid_rows(self) -> int:
        return max(0, self.rows_total - self.rejected)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.progress)
