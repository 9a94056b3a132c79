"""Pages of the alliances: the list, one alliance, entering and editing one."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliances import selectors
from alliances.views._common import PAGE_SIZE, require_reader


@login_required
@require_GET
def alliance_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    page = Paginator(selectors.alliances(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alliances/list.html",
        {"page": page, "alliances": page.object_list, "can_edit": selectors.can_edit(request.user)},
    )
