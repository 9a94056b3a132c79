"""Pages of the services given to people (十项服务): the figures per service and year with the
records behind them, recording a service from a person's page, correcting and deleting one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import copy_errors
from portal.paginator import KeysFirstPaginator
from xiangxian import selectors, services
from xiangxian.forms import ServiceFilterForm, ServiceRecordForm
from xiangxian.views._common import PAGE_SIZE, figure_window, require_editor, require_registry


@login_required
@require_GET
def service_list(request: HttpRequest) -> HttpResponse:
    require_registry(request)
    form = ServiceFilterForm(request.GET or None)
    kind, year = form.criteria()
    records, window = figure_window(
        request,
        selectors.service_records(request.user, kind=kind, year=year),
        day="served_on",
        region="xiangxian__hometown",
    )
    page = KeysFirstPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = selectors.service_figures(request.user, year=year)
    return render(
        request,
        "xiangxian/services/list.html",
        {
            "form": form,
            "page": page,
            "figure_window": window,
            "window_value": records.order_by().aggregate(v=Sum("value_yuan"))["v"]
            if window
            else None,
            "year": year,
            "figures": figures,
            "total_count": sum(f["count"] for f in figures),
            "total_value": sum(f["value_yuan"] for f in figures),
            "years": selectors.service_years(request.user),
            "can_edit": selectors.can_edit(request.user),
            "tab": "services",
        },
    )


def _form_page(request, form, *, person, record=None, status=200) -> HttpResponse:
    return render(
        request,
        "xiangxian/services/form.html",
        {"form": form, "person": person, "record": record},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a service given to the person ``pk``."""
    require_editor(request)
    person = selectors.person_for(request.user, pk)
    if request.method == "GET":
        form = ServiceRecordForm(initial={"served_on": timezone.localdate()})
        return _form_page(request, form, person=person)
    form = ServiceRecordForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, person=person, status=400)
    try:
        services.service_record_create(actor=request.user, xiangxian=person, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, person=person, status=400)
    messages.success(request, _("The service is recorded."))
    return redirect("xiangxian:detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    record = selectors.service_record_for(request.user, pk)
    person = record.xiangxian
    if request.method == "GET":
        initial = {name: getattr(record, name) for name in services.records.FIELDS}
        form = ServiceRecordForm(initial=initial, current_kind=record.kind_id)
        return _form_page(request, form, person=person, record=record)
    form = ServiceRecordForm(request.POST, current_kind=record.kind_id)
    if not form.is_valid():
        return _form_page(request, form, person=person, record=record, status=400)
    try:
        services.service_record_update(actor=request.user, record=record, **form.cleaned_data)
    except ValidationError as exc:
        copy_errors(form, exc)
        return _form_page(request, form, person=person, record=record, status=400)
    messages.success(request, _("The service record is saved."))
    return redirect("xiangxian:detail", pk=person.pk)


@login_required
@require_POST
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_editor(request)
    record = selectors.service_record_for(request.user, pk)
    person_pk = record.xiangxian_id
    services.service_record_delete(actor=request.user, record=record)
    messages.success(request, _("The service record is deleted."))
    return redirect("xiangxian:detail", pk=person_pk)
