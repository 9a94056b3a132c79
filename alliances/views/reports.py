"""Pages of the villages' figures: the list in the caller's scope, entering a period's figures,
one report with its versions and steps, editing a draft, the workflow's steps and corrections.

Writes go through ``alliances.services.reports``; a refused step (``Conflict``) or bad input
comes back as a message on the page, never a 500.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from alliances.models import ReportStatus, VillageReport
from alliances.periods import Period
from alliances.services import reports as services
from alliances.views._common import PAGE_SIZE, require_reader
from portal.exceptions import Conflict
from portal.models import Region, Role

DONE = {
    "submit": gettext_lazy("The figures are submitted to the county."),
    "check": gettext_lazy("The figures are checked and go to the office."),
    "approve": gettext_lazy("The figures are approved and locked."),
    "return": gettext_lazy("The figures are returned to the village."),
}


def _wan(yuan) -> str:
    """Yuan in 万元 with up to two decimals (662000 → 66.2 万元)."""
    text = f"{yuan / 10000:,.2f}".rstrip("0").rstrip(".")
    return _("%(n)s 万元") % {"n": text}


def recent_periods(today=None, count: int = 16) -> list[Period]:
    """The half years up to the current one, newest first (the periods one may enter)."""
    today = today or timezone.localdate()
    period = Period(today.year, 1 if today.month <= 6 else 2)
    found = []
    for _i in range(count):
        found.append(period)
        period = Period(period.year, 1) if period.half == 2 else Period(period.year - 1, 2)
    return found


class ValuesForm(forms.Form):
    """One field per active indicator, in yuan for amounts."""

    def __init__(self, *args, indicators, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [indicator.code for indicator in indicators]
        for indicator in indicators:
            unit = _("yuan") if indicator.is_amount else indicator.unit
            self.fields[indicator.code] = forms.CharField(
                label=f"{indicator.name}（{unit}）",
                required=False,
                initial=(initial_values or {}).get(indicator.code),
                widget=forms.TextInput(
                    attrs={"class": "form-control", "inputmode": "decimal", "autocomplete": "off"}
                ),
            )

    def values(self) -> dict:
        return {code: self.data.get(code, "") for code in self.codes}


class NewReportForm(ValuesForm):
    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "village": forms.ChoiceField(
                label=_("Village"),
                choices=[(v.code, v.name) for v in villages],
                widget=forms.Select(attrs={"class": "form-select"}),
            ),
            "period": forms.ChoiceField(
                label=_("Period"),
                choices=[(p.code, p.code) for p in recent_periods()],
                widget=forms.Select(attrs={"class": "form-select"}),
            ),
            **self.fields,
        }


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _report(request, pk) -> VillageReport:
    return get_object_or_404(
        VillageReport.objects.visible_to(request.user).select_related("village__parent"), pk=pk
    )


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    reports = VillageReport.objects.visible_to(request.user).select_related("village__parent")
    period, status = request.GET.get("period", ""), request.GET.get("status", "")
    if period:
        try:
            reports = reports.filter(period=Period.parse(period).code)
        except ValueError:
            messages.error(request, _("Enter a period as a year or a half year, e.g. 2023H1."))
            period = ""
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    page = Paginator(reports.order_by("-period", "village__code", "-version"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "alliances/reports/list.html",
        {
            "page": page,
            "reports": page.object_list,
            "period": period,
            "status": status,
            "statuses": ReportStatus.choices,
            "periods": recent_periods(),
            "can_enter": bool(request.user.region_ids(Role.VILLAGE_REPORTER)),
            "can_import": bool(request.user.region_ids(Role.VILLAGE_REPORTER, Role.COUNTY_STAFF)),
        },
    )


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    villages = list(Region.objects.filter(pk__in=request.user.region_ids(Role.VILLAGE_REPORTER)))
    if not villages:
        raise PermissionDenied
    indicators = services.active_indicators()
    form = NewReportForm(request.POST or None, villages=villages, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user,
                village=form.cleaned_data["village"],
                period=form.cleaned_data["period"],
                values=form.values(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict.message))
        else:
            messages.success(request, _("The figures are saved as a draft."))
            return redirect("alliances:report-detail", report.pk)
    return render(request, "alliances/reports/form.html", {"form": form, "report": None})


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not services.is_reporter_of(request.user, report.village):
        raise PermissionDenied
    indicators = services.active_indicators()
    current = {v.indicator.code: v.value for v in report.values.select_related("indicator")}
    form = ValuesForm(request.POST or None, indicators=indicators, initial_values=current)
    if report.locked:
        messages.error(
            request,
            _("A report that is %(status)s is locked; it cannot be edited.")
            % {"status": report.get_status_display()},
        )
        return redirect("alliances:report-detail", report.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                report=report,
                actor=request.user,
                values=form.values(),
                revision=request.POST.get("revision"),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict.message))
        else:
            messages.success(request, _("The figures are saved."))
            return redirect("alliances:report-detail", report.pk)
    return render(request, "alliances/reports/form.html", {"form": form, "report": report})


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    versions = services.history_of(report)
    user = request.user
    return render(
        request,
        "alliances/reports/detail.html",
        {
            "report": report,
            "values": [
                (v, _wan(v.value) if v.indicator.is_amount else "")
                for v in report.values.select_related("indicator")
            ],
            "versions": versions,
            "actions": services.available_actions(user, report),
            "may_edit": services.may_edit(user, report),
            "may_correct": services.may_correct(user, report),
        },
    )


@login_required
@require_POST
def report_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = _report(request, pk)
    if action not in services.ACTIONS:
        raise PermissionDenied
    try:
        services.report_transition(
            report=report,
            actor=request.user,
            action=action,
            reason=request.POST.get("reason", ""),
            revision=request.POST.get("revision"),
        )
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    except Conflict as conflict:
        messages.error(request, str(conflict.message))
    else:
        messages.success(request, DONE[action])
    return redirect("alliances:report-detail", report.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        new = services.report_correct(
            report=report, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        for problems in error.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    except Conflict as conflict:
        messages.error(request, str(conflict.message))
    else:
        messages.success(request, _("A new version is opened for the correction."))
        return redirect("alliances:report-detail", new.pk)
    return redirect("alliances:report-detail", report.pk)
