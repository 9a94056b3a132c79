"""Recording a duty."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots import selectors
from grassroots.forms.duties import DutyRecordForm
from grassroots.services.duties import duty_record_add
from portal.forms import copy_errors


@login_required
@require_http_methods(["GET", "POST"])
def record_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_for(request.user, pk)
    if not selectors.can_record(request.user, unit):
        raise PermissionDenied
    duty_list = selectors.duty_list_for(unit)
    form = DutyRecordForm(request.POST or None, request.FILES or None, duty_list=duty_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            duty_record_add(
                unit=unit,
                item=data["item"],
                done_on=data["done_on"],
                what=data["what"],
                actor=request.user,
                uploads=data["files"],
            )
        except ValidationError as exc:
            copy_errors(form, exc)
        else:
            messages.success(request, _("The duty is recorded."))
            return redirect("grassroots:unit-detail", pk=unit.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "grassroots/units/record_form.html",
        {"unit": unit, "form": form, "duty_list": duty_list},
        status=status,
    )
