"""The units list (cards on a phone) and a unit's page: its duties with their state, overdue
items, records and scores."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots import selectors
from grassroots.forms.units import UnitFilterForm
from grassroots.models import UnitTotal
from grassroots.views._common import PAGE_SIZE, require_units
from portal.models import Attachment
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


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for(request.user, pk)
    start, end = _day(request.GET.get("from")), _day(request.GET.get("to"))
    records = list(selectors.records_for(request.user, unit, start=start, end=end)[:50])
    from django.contrib.contenttypes.models import ContentType

    from grassroots.models import DutyRecord

    files: dict[str, list] = {}
    if records:
        for attachment in Attachment.objects.filter(
            target_type=ContentType.objects.get_for_model(DutyRecord),
            target_id__in=[str(record.pk) for record in records],
        ):
            files.setdefault(attachment.target_id, []).append(attachment)
    for record in records:
        record.files = files.get(str(record.pk), [])
    duties = selectors.unit_duties(unit)
    return render(
        request,
        "grassroots/units/detail.html",
        {
            "unit": unit,
            "duties": duties,
            "overdue": [duty for duty in duties if duty.overdue],
            "records": records,
            "records_from": start,
            "records_to": end,
            "totals": UnitTotal.objects.filter(unit=unit)
            .select_related("period")
            .order_by("-period__starts_on"),
            "can_record": selectors.can_record(request.user, unit),
        },
    )
