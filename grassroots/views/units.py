"""The units list (cards on a phone) and a unit's page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots import selectors
from grassroots.forms.units import UnitFilterForm
from grassroots.views._common import PAGE_SIZE, require_units
from portal.paginator import KeysFirstPaginator


@login_required
@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    require_units(request)
    form = UnitFilterForm(request.GET or None)
    filters = form.filters()
    page = KeysFirstPaginator(selectors.units_for(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "grassroots/units/list.html", {"form": form, "page": page, "filters": filters}
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for(request.user, pk)
    return render(request, "grassroots/units/detail.html", {"unit": unit})
