"""The enterprise directory for staff: list, detail, search-as-you-type and Excel import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from enterprises import selectors
from enterprises.forms.directory import EnterpriseFilterForm, EnterpriseImportForm
from enterprises.selectors.directory import (
    SEARCH_LIMIT,
    enterprise_directory,
    enterprise_for,
    enterprises_matching,
    verified_members,
    with_place,
)
from enterprises.services.imports import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    enterprises_import,
    import_template,
    import_vocabulary,
)
from portal.models import Role

PAGE_SIZE = 25
APPEALS_PAGE_SIZE = 10
# How many row errors the report shows; the total is always stated.
ERRORS_SHOWN = 200
DIRECTORY_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.DEPARTMENT_HEAD)
IMPORT_ROLES = (Role.DISPATCHER, Role.ADMIN)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(*DIRECTORY_ROLES):
        raise PermissionDenied
    form = EnterpriseFilterForm(request.GET or None)
    filters = form.filters()
    enterprises = enterprise_directory(request.user, **filters)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_place(page.object_list)
    return render(
        request,
        "enterprises/directory/list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_import": request.user.has_role(*IMPORT_ROLES),
        },
    )


@login_required
@require_GET
def enterprise_search(request: HttpRequest) -> HttpResponse:
    """The picker's matches as an HTML fragment: at most 20, in the user's scope."""
    query = request.GET.get("q", "").strip()[:100]
    enterprises, more = enterprises_matching(request.user, query)
    return render(
        request,
        "enterprises/directory/_search_results.html",
        {"query": query, "enterprises": enterprises, "more": more, "limit": SEARCH_LIMIT},
    )


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Staff see every enterprise; an entrepreneur only their own (404 for the rest).
    enterprise = enterprise_for(request.user, pk)
    appeals = (
        selectors.appeals_for(request.user)
        .filter(enterprise=enterprise)
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(appeals, APPEALS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/directory/detail.html",
        {
            "enterprise": enterprise,
            "members": verified_members(enterprise),
            "page": page,
            "is_staff_view": request.user.has_role(*DIRECTORY_ROLES),
        },
    )


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_role(*IMPORT_ROLES):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = (
        EnterpriseImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else EnterpriseImportForm()
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = enterprises_import(
                actor=request.user, file=form.cleaned_data["file"], request=request
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Import finished: %(created)d enterprises created, %(updated)d updated, "
                        "%(unchanged)d unchanged."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                )
                return redirect("enterprises:import")
    return render(
        request,
        "enterprises/directory/import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:ERRORS_SHOWN] if result else [],
            "columns": COLUMNS,
            "vocabulary": import_vocabulary(),
            "max_rows": MAX_ROWS,
            "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        },
    )


@login_required
@require_GET
def enterprise_import_template(request: HttpRequest) -> HttpResponse:
    """An .xlsx with the import's headers and one example row."""
    _require_importer(request)
    response = HttpResponse(import_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response
