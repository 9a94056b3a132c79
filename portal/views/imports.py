"""Import pages: the person's import jobs, a new import, the mapping and dry run, the job's
progress (polled), its report and the file of rejected rows, and each kind's template."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.exports import Column, Sheet, xlsx_response
from portal.forms import ImportApplyForm, ImportMappingForm, ImportUploadForm, copy_errors
from portal.imports import XLSX, ImportKindUnknown, import_kind, import_kinds_for
from portal.models import ImportJob
from portal.services import import_apply, import_check, import_upload
from portal.services.imports import report_errors

RECENT_JOBS = 50
# How many row errors the report shows; the total is always stated.
ERRORS_SHOWN = 200
REASON_HEADER = gettext_lazy("Reason rejected")


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


def _spec(kind: str):
    try:
        return import_kind(kind)
    except ImportKindUnknown:
        raise Http404 from None


def _help(spec) -> dict:
    return spec.help_context() if spec.help_context else {}


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.visible_to(request.user).defer("report", "headers", "mapping")
    return render(
        request,
        "portal/imports/list.html",
        {"jobs": jobs[:RECENT_JOBS], "can_import": bool(import_kinds_for(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    kinds = import_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    chosen = request.POST.get("kind") or request.GET.get("kind") or kinds[0][0]
    initial = {"kind": chosen}
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, kinds=kinds, initial=initial)
        if form.is_valid():
            try:
                job = import_upload(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                return redirect("imports:job", pk=job.pk)
    else:
        form = ImportUploadForm(kinds=kinds, initial=initial)
    spec = dict(kinds).get(chosen) or kinds[0][1]
    return render(
        request,
        "portal/imports/new.html",
        {"form": form, "spec": spec, "kind": chosen, "help": _help(spec)},
    )


def _mapping_form(job: ImportJob, spec, data=None) -> ImportMappingForm:
    return ImportMappingForm(data, spec=spec, headers=job.headers, mapping=job.mapping)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    spec = _spec(job.kind)
    return _render_job(request, job, spec)


def _render_job(request, job, spec, *, mapping_form=None, apply_form=None, status=200):
    editable = job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED)
    errors = report_errors(job)
    context = {
        "job": job,
        "spec": spec,
        "help": _help(spec),
        "mapping_form": mapping_form or (_mapping_form(job, spec) if editable else None),
        "apply_form": apply_form
        or (
            ImportApplyForm(initial={"mode": "valid" if job.rejected else "all"})
            if job.status == ImportJob.Status.CHECKED
            else None
        ),
        "errors_shown": errors[:ERRORS_SHOWN],
        "errors_total": len(errors),
    }
    return render(request, "portal/imports/job.html", context, status=status)


@login_required
@require_POST
def job_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the mapping and run the dry run."""
    job = _job(request, pk)
    spec = _spec(job.kind)
    form = _mapping_form(job, spec, request.POST)
    if form.is_valid():
        try:
            import_check(job=job, mapping=form.mapping(), user=request.user)
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            return redirect("imports:job", pk=job.pk)
    job.refresh_from_db()
    return _render_job(request, job, spec, mapping_form=form)


@login_required
@require_POST
def job_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    spec = _spec(job.kind)
    form = ImportApplyForm(request.POST)
    if form.is_valid():
        try:
            import_apply(
                job=job, mode=form.cleaned_data["mode"], user=request.user, request=request
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            return redirect("imports:job", pk=job.pk)
    job.refresh_from_db()
    return _render_job(request, job, spec, apply_form=form)


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress, for the page to poll (htmx swaps it in until the job is finished)."""
    return render(request, "portal/imports/_progress.html", {"job": _job(request, pk)})


@login_required
@require_GET
def job_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as a workbook: the original cells and a column with the reasons, so
    the person can correct them and import this file again."""
    job = _job(request, pk)
    if not job.report:
        raise Http404(_("This import rejected no row."))
    headers = job.headers or []
    width = max([len(headers)] + [len(entry["cells"]) for entry in job.report])
    columns = [Column(headers[i] if i < len(headers) else "", 18) for i in range(width)]
    columns.append(Column(REASON_HEADER, 60))

    def rows():
        for entry in job.report:
            cells = list(entry["cells"]) + [None] * (width - len(entry["cells"]))
            reasons = "；".join(f"{e['column']}：{e['message']}" for e in entry["errors"])
            yield [*cells, reasons]

    stem = job.name.rpartition(".")[0] or "import"
    return xlsx_response(f"{stem}-rejected.xlsx", [Sheet(str(_("Rejected rows")), columns, rows())])


@login_required
@require_GET
def kind_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's template workbook, for those who may use the kind."""
    spec = _spec(kind)
    if not spec.allowed(request.user):
        raise PermissionDenied
    if spec.template is None:
        raise Http404
    response = HttpResponse(spec.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{spec.template_filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
