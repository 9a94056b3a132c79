"""Export jobs' pages: the job's progress (polled), its download, the user's recent jobs; and
``export_response``, which apps' export views call to stream a small export or queue a job."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.exports import (
    EXPORT_JOB_THRESHOLD,
    XLSX,
    ExportParamsInvalid,
    build_export,
    xlsx_response,
)
from portal.models import ExportJob
from portal.services import export_request

RECENT_JOBS = 20


def export_response(request: HttpRequest, kind: str, *, invalid_detail: str = "") -> HttpResponse:
    """Export ``kind`` with the request's query parameters: at once when it holds at most
    ``EXPORT_JOB_THRESHOLD`` rows, else as a job (redirect to its page); 400 when refused."""
    try:
        export = build_export(kind, request.GET, request.user)
    except ExportParamsInvalid as exc:
        detail = invalid_detail or str(exc)
        return render(request, "400.html", {"detail": detail}, status=400)
    if export.total > EXPORT_JOB_THRESHOLD:
        job = export_request(user=request.user, kind=kind, params=request.GET, total=export.total)
        return redirect("exports:job", pk=job.pk)
    return xlsx_response(export.filename, export.sheets)


def _job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.visible_to(request.user).defer("params")[:RECENT_JOBS]
    return render(request, "portal/exports/list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/exports/job.html", {"job": _job(request, pk)})


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, for the page to poll (htmx swaps it in until the job is finished)."""
    return render(request, "portal/exports/_progress.html", {"job": _job(request, pk)})


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export is not ready."))
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename or "export.xlsx",
        content_type=XLSX,
    )
    response["Cache-Control"] = "private, no-store"
    return response
