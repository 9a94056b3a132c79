"""The enterprise directory for staff: list, detail and search-as-you-type (its Excel import
runs on the portal's import pages, kind ``enterprises.directory``)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from enterprises import selectors
from enterprises.forms.directory import EnterpriseFilterForm
from enterprises.imports import DIRECTORY
from enterprises.imports import KIND as IMPORT_KIND
from enterprises.selectors.directory import (
    SEARCH_LIMIT,
    enterprise_directory,
    enterprise_for,
    enterprises_matching,
    verified_members,
    with_place,
)
from portal.models import Role

PAGE_SIZE = 25
APPEALS_PAGE_SIZE = 10
DIRECTORY_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.DEPARTMENT_HEAD)


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
            "can_import": DIRECTORY.allowed(request.user),
            "import_kind": IMPORT_KIND,
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
