"""The figures page of the villages' reports (item 9): one period's table by alliance or county,
its charts (ECharts from static/), and the Excel export with the periods in columns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alliances import figures as figures_module
from alliances.exports import figures_sheet
from alliances.periods import Period
from alliances.views._common import require_reader
from alliances.views.reports import recent_periods
from portal.exports import xlsx_response

EXPORT_PERIODS = 6


def _wan(yuan) -> str:
    """Yuan shown in 万元 with up to two decimals (662000 → 66.2万元); — for none."""
    if yuan is None:
        return "—"
    text = f"{yuan / 10000:,.2f}".rstrip("0").rstrip(".")
    return _("%(n)s 万元") % {"n": text}


def _pct(change) -> str:
    if change is None:
        return "—"
    return f"{change * 100:+.1f}%"


def _choice(request, reported) -> tuple[Period, str]:
    group_by = request.GET.get("group_by", "alliance")
    if group_by not in figures_module.GROUPS:
        group_by = "alliance"
    raw = request.GET.get("period", "")
    period = None
    if raw:
        try:
            period = Period.parse(raw)
        except ValueError:
            messages.error(request, _("Enter a period as a year or a half year, e.g. 2023H1."))
    if period is None:
        period = Period.parse(reported[0]) if reported else recent_periods()[1]
    return period, group_by


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    reported = figures_module.reported_periods(request.user)
    period, group_by = _choice(request, reported)
    data = figures_module.figures(request.user, period, group_by)
    codes = [i["code"] for i in data["indicators"]]
    charts = {
        "labels": [r["label"] for r in data["rows"]],
        "names": {
            "all": _("All member villages"),
            "ethnic": _("Ethnic villages"),
            "previous": _("Same period last year"),
        },
        "indicators": [
            {
                "code": code,
                "name": next(i["name"] for i in data["indicators"] if i["code"] == code),
                "all": [r["indicators"][code]["average"] for r in data["rows"]],
                "ethnic": [r["ethnic"]["indicators"][code]["average"] for r in data["rows"]],
                "previous": [r["indicators"][code]["previous_average"] for r in data["rows"]],
            }
            for code in codes
        ],
    }
    periods = sorted({*reported, period.code}, reverse=True)

    def cells(row):
        return [
            {
                "indicator": i,
                "total": _wan(row["indicators"][i["code"]]["total"]),
                "average": _wan(row["indicators"][i["code"]]["average"]),
                "ethnic_average": _wan(row["ethnic"]["indicators"][i["code"]]["average"]),
                "change": _pct(row["indicators"][i["code"]]["change"]),
            }
            for i in data["indicators"]
        ]

    table = [{"row": r, "cells": cells(r)} for r in data["rows"]]
    total = cells(data["total"])
    return render(
        request,
        "alliances/figures/page.html",
        {
            "data": data,
            "period": period,
            "group_by": group_by,
            "periods": periods,
            "charts": charts,
            "table": table,
            "total_cells": total,
        },
    )


@login_required
@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    reported = figures_module.reported_periods(request.user)
    period, group_by = _choice(request, reported)
    periods = sorted({Period.parse(p) for p in reported if Period.parse(p) <= period})
    periods = (periods or [period])[-EXPORT_PERIODS:]
    sheet = figures_sheet(request.user, periods, group_by)
    return xlsx_response(f"alliance-figures-{period.code}-{group_by}.xlsx", [sheet])
