"""The figures' pages: the dashboard (KPI cards, monthly trend, department ranking, breakdowns)
and the printable monthly report. Every number links to the appeal list behind it."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from enterprises.filters import StatsFilterForm
from enterprises.selectors import stats

BREAKDOWNS = ("category", "county", "source", "session")
RANK_BY = {
    "closure_rate": gettext_lazy("Closure rate"),
    "on_time_rate": gettext_lazy("On-time closure rate"),
    "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "sign_in_time_rate": gettext_lazy("Timely sign-for rate"),
}
# (column, its title, the figure its link opens, how it is shown)
COLUMNS = (
    ("accepted", gettext_lazy("Accepted"), "accepted", "count"),
    ("closed", gettext_lazy("Closed"), "closed", "count"),
    ("closure_rate", gettext_lazy("Closure rate"), "closed", "rate"),
    ("on_time_rate", gettext_lazy("On time"), "closed_on_time", "rate"),
    (
        "on_time_extended_rate",
        gettext_lazy("On time after extension"),
        "closed_on_time_extended",
        "rate",
    ),
    ("satisfaction_rate", gettext_lazy("Satisfaction"), "satisfied", "rate"),
    (
        "callback_satisfaction_rate",
        gettext_lazy("Call-back satisfaction"),
        "callback_satisfied",
        "rate",
    ),
    ("sign_in_time_rate", gettext_lazy("Timely sign-for"), "signed_in_time", "rate"),
    ("return_rate", gettext_lazy("Routing disputes"), "disputed", "rate"),
    ("rehandle_rate", gettext_lazy("Re-handled"), "rehandled", "rate"),
    ("avg_handling_days", gettext_lazy("Mean days"), "closed", "days"),
    ("median_handling_days", gettext_lazy("Median days"), "closed", "days"),
    ("overdue_open", gettext_lazy("Overdue open"), "overdue_open", "count"),
)
DASH = "—"


def _require_stats(request: HttpRequest) -> None:
    if not stats.can_view_stats(request.user):
        raise PermissionDenied(_("Statistics are for united-front staff and leaders."))


def percent(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f}%"


def days(value: float | None) -> str:
    return DASH if value is None else f"{value:g}"


class Linker:
    """Turns (row, figure) into the URL of the appeal list behind the number."""

    def __init__(self, user, result: stats.Stats):
        self.user, self.result = user, result
        self.base = reverse("appeals:list")

    def __call__(self, row, figure: str) -> str:
        if row is self.result.total:
            row = None
        params = stats.figure_link_params(self.user, self.result, row, figure)
        return f"{self.base}?{urlencode(params)}" if params is not None else ""


def cell(row: stats.FigureRow, column: tuple, link: Linker) -> dict:
    """One number of a table or card: its text, what it is made of, and its link."""
    name, title, figure, kind = column
    counts = row.counts
    behind = counts.get(stats.appeals_behind(figure), 0)
    if kind == "count":
        value = counts.get(name, 0)
        text, hint = str(value), ""
    elif kind == "rate":
        value = getattr(row, name)
        numerator, denominator = stats.RATES[name]
        text = percent(value)
        hint = f"{counts.get(numerator, 0)} / {counts.get(denominator, 0)}"
    else:
        value = getattr(row, name)
        text, hint = days(value), ""
    return {
        "name": name,
        "title": title,
        "text": text,
        "value": value,
        "hint": hint,
        "figure": figure,
        "count": behind,
        "url": link(row, figure) if behind or kind == "count" else "",
    }


def table(user, result: stats.Stats, columns=COLUMNS, rows=None) -> dict:
    link = Linker(user, result)
    rows = result.rows if rows is None else rows
    return {
        "columns": columns,
        "rows": [
            {"row": r, "label": r.label, "cells": [cell(r, c, link) for c in columns]} for r in rows
        ],
        "total": {
            "row": result.total,
            "label": result.total.label,
            "cells": [cell(result.total, c, link) for c in columns],
        },
    }


def kpis(user, result: stats.Stats) -> list[dict]:
    """The KPI cards: each headline rate (or count) with the numbers it is made of."""
    link = Linker(user, result)
    total = result.total

    def number(figure, label):
        count = total.counts[stats.appeals_behind(figure)]
        return {
            "label": label,
            "text": str(total.counts[figure]),
            "url": link(None, figure),
            "count": count,
        }

    return [
        {
            "key": "closure",
            "title": _("Closure rate"),
            "text": percent(total.closure_rate),
            "url": link(None, "closed"),
            "parts": [number("closed", _("closed")), number("accepted", _("accepted"))],
        },
        {
            "key": "on_time",
            "title": _("On-time closure rate"),
            "text": percent(total.on_time_rate),
            "url": link(None, "closed_on_time"),
            "parts": [
                number("closed_on_time", _("on time")),
                number("closed_on_time_extended", _("of which after an extension")),
                number("closed_late", _("late")),
            ],
        },
        {
            "key": "satisfaction",
            "title": _("Satisfaction rate"),
            "text": percent(total.satisfaction_rate),
            "url": link(None, "satisfied"),
            "parts": [
                number("satisfied", _("satisfied")),
                number("rated", _("rated")),
                {
                    "label": _("call-backs satisfied"),
                    "text": percent(total.callback_satisfaction_rate),
                    "url": link(None, "callback_satisfied"),
                },
            ],
        },
        {
            "key": "sign",
            "title": _("Timely sign-for rate"),
            "text": percent(total.sign_in_time_rate),
            "url": link(None, "signed_in_time"),
            "parts": [
                number("signed_in_time", _("signed in time")),
                number("sign_due", _("due")),
            ],
        },
        {
            "key": "handling",
            "title": _("Handling time (working days)"),
            "text": f"{days(total.avg_handling_days)} / {days(total.median_handling_days)}",
            "url": link(None, "closed"),
            "parts": [{"label": _("mean / median, clock stops excluded"), "text": ""}],
        },
        {
            "key": "overdue",
            "title": _("Overdue open"),
            "text": str(total.counts["overdue_open"]),
            "url": link(None, "overdue_open"),
            "danger": total.counts["overdue_open"] > 0,
            "parts": [],
        },
        {
            "key": "return",
            "title": _("Routing-dispute rate"),
            "text": percent(total.return_rate),
            "url": link(None, "disputed"),
            "parts": [
                number("disputed", _("returned within a working day")),
                number("assignments", _("routings")),
            ],
        },
        {
            "key": "rehandle",
            "title": _("Re-handling rate"),
            "text": percent(total.rehandle_rate),
            "url": link(None, "rehandled"),
            "parts": [number("rehandled", _("sent back")), number("replied", _("replied"))],
        },
    ]


def chart_series(user, result: stats.Stats, name: str) -> dict:
    """What a chart needs: labels, values and the list URL of each bar or point."""
    link = Linker(user, result)
    return {
        "labels": [r.label for r in result.rows],
        "accepted": [r.counts["accepted"] for r in result.rows],
        "closed": [r.counts["closed"] for r in result.rows],
        "closure_rate": [r.closure_rate for r in result.rows],
        "on_time_rate": [r.on_time_rate for r in result.rows],
        "satisfaction_rate": [r.satisfaction_rate for r in result.rows],
        "sign_in_time_rate": [r.sign_in_time_rate for r in result.rows],
        "lowest": [r.lowest for r in result.rows],
        "urls": [link(r, "accepted") for r in result.rows],
        "closed_urls": [link(r, "closed") for r in result.rows],
    }


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last twelve months: from the first day of the month eleven months back to today."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1), today


def _form(request: HttpRequest) -> StatsFilterForm:
    data = request.GET.copy()
    if not data.get("from") and not data.get("to"):
        start, end = default_period(timezone.localdate())
        data["from"], data["to"] = start.isoformat(), end.isoformat()
    form = StatsFilterForm(data, user=request.user)
    for name, field in form.fields.items():
        css = (
            "form-select form-select-sm"
            if hasattr(field, "choices")
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)
        if name == "group_by":
            field.widget = field.hidden_widget()
    if stats.own_department_only(request.user):
        form.fields["department"].queryset = form.fields["department"].queryset.filter(
            pk=request.user.department_id
        )
    return form


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """KPI cards, the monthly trend, the department ranking (晾晒) and the breakdowns."""
    _require_stats(request)
    user = request.user
    form = _form(request)
    rank_by = request.GET.get("rank") if request.GET.get("rank") in RANK_BY else "closure_rate"
    context = {"form": form, "rank_by": rank_by, "rank_choices": RANK_BY.items()}
    if form.is_valid():
        results = stats.stats_by(user, form.filters(), ("month", "department", *BREAKDOWNS))
        ranked = stats.rank(results["department"].rows, rank_by)
        context.update(
            {
                "kpis": kpis(user, results[None]),
                "ranking": table(user, results["department"], rows=ranked),
                "breakdowns": [
                    (name, stats.GROUPINGS[name].title, table(user, results[name]))
                    for name in BREAKDOWNS
                ],
                "trend": table(user, results["month"]),
                "charts": {
                    "trend": chart_series(user, results["month"], "month"),
                    "ranking": chart_series(
                        user,
                        stats.Stats(
                            filters=results["department"].filters,
                            grouping=results["department"].grouping,
                            rows=ranked,
                            total=results["department"].total,
                            today=results["department"].today,
                        ),
                        "department",
                    ),
                    **{name: chart_series(user, results[name], name) for name in BREAKDOWNS},
                    "rank_by": rank_by,
                    "names": {
                        "accepted": _("Accepted"),
                        "closed": _("Closed"),
                        "closure_rate": _("Closure rate"),
                        "on_time_rate": _("On-time closure rate"),
                        "rank": str(RANK_BY[rank_by]),
                    },
                },
                "query": urlencode(form.filters().params()),
                "filters": form.filters(),
            }
        )
    return render(request, "enterprises/stats/dashboard.html", context, status=200)


def month_bounds(value: str | None, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """First and last day of ``YYYY-MM``; the previous month when empty; None when malformed."""
    if not value:
        first = today.replace(day=1) - dt.timedelta(days=1)
        first = first.replace(day=1)
    else:
        try:
            year, month = (int(part) for part in value.split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            return None
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


@login_required
@require_GET
def monthly_report(request: HttpRequest) -> HttpResponse:
    """A printable report of one month (by day of acceptance): the figures and the ranking."""
    _require_stats(request)
    user = request.user
    bounds = month_bounds(request.GET.get("month"), timezone.localdate())
    if bounds is None:
        return render(
            request,
            "400.html",
            {"detail": _("Give the month as YYYY-MM.")},
            status=400,
        )
    first, last = bounds
    filters = stats.StatsFilters(date_from=first, date_to=last)
    results = stats.stats_by(user, filters, ("department", "category", "source"))
    rank_by = request.GET.get("rank") if request.GET.get("rank") in RANK_BY else "closure_rate"
    ranked = stats.rank(results["department"].rows, rank_by)
    return render(
        request,
        "enterprises/stats/report.html",
        {
            "month": first.strftime("%Y-%m"),
            "first": first,
            "last": last,
            "kpis": kpis(user, results[None]),
            "ranking": table(user, results["department"], rows=ranked),
            "rank_by_label": RANK_BY[rank_by],
            "breakdowns": [
                (name, stats.GROUPINGS[name].title, table(user, results[name]))
                for name in ("category", "source")
            ],
            "generated_at": timezone.localtime(),
            "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
            "next": (last + dt.timedelta(days=1)).strftime("%Y-%m"),
        },
    )
