"""Excel downloads: the dashboard's tables, and any filtered appeal list.

Both read through the same code as their pages (``stats.stats_by``; the appeal list's scope,
filters and sorting in ``enterprises.exports``), so an export has exactly what the page shows,
in the same scope.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises import exports as appeals_export
from enterprises.models import Source
from enterprises.selectors import stats
from enterprises.views.stats import BREAKDOWNS, RANK_BY, _form, _require_stats
from portal.exports import Column, Sheet, xlsx_response
from portal.views.exports import export_response

YES = "是"

STATS_COLUMNS = (
    ("label", Column("分组", 24)),
    ("accepted", Column("受理数", 9, "number")),
    ("closed", Column("办结数", 9, "number")),
    ("closure_rate", Column("办结率", 9, "percent")),
    ("closed_on_time", Column("按期办结数", 11, "number")),
    ("closed_on_time_extended", Column("其中延期后按期", 14, "number")),
    ("closed_late", Column("超期办结数", 11, "number")),
    ("on_time_rate", Column("按期办结率", 11, "percent")),
    ("on_time_extended_rate", Column("延期后按期占比", 14, "percent")),
    ("rated", Column("评价数", 9, "number")),
    ("satisfied", Column("满意数", 9, "number")),
    ("satisfaction_rate", Column("满意率", 9, "percent")),
    ("callbacks", Column("回访数", 9, "number")),
    ("callback_satisfied", Column("回访满意数", 11, "number")),
    ("callback_satisfaction_rate", Column("回访满意率", 11, "percent")),
    ("sign_due", Column("应签收分派数", 13, "number")),
    ("signed_in_time", Column("及时签收数", 11, "number")),
    ("sign_in_time_rate", Column("签收及时率", 11, "percent")),
    ("assignments", Column("分派次数", 10, "number")),
    ("disputed", Column("争议回退次数", 13, "number")),
    ("return_rate", Column("回退率", 9, "percent")),
    ("replied", Column("已答复诉求", 11, "number")),
    ("rehandled", Column("重办诉求", 10, "number")),
    ("rehandle_rate", Column("重办率", 9, "percent")),
    ("avg_handling_days", Column("平均办理时长（工作日）", 20, "number")),
    ("median_handling_days", Column("办理时长中位数（工作日）", 22, "number")),
    ("overdue_open", Column("超期未办结", 11, "number")),
)
SHEET_TITLES = {
    "department": "部门排名",
    "month": "按月份",
    "category": "按类别",
    "county": "按区县",
    "source": "按来源",
    "session": "按亲清半月谈",
}


def _figure_rows(rows, with_rank: bool = False):
    for row in rows:
        values = row.as_dict()
        cells = [values[name] for name, _column in STATS_COLUMNS]
        if with_rank:
            cells = [row.rank, *cells, YES if row.lowest else ""]
        yield cells


def _filter_rows(filters: stats.StatsFilters):
    yield "受理日期起", filters.date_from.isoformat() if filters.date_from else "（不限）"
    yield "受理日期止", filters.date_to.isoformat() if filters.date_to else "（不限）"
    yield "部门", filters.department.name if filters.department else "（全部）"
    yield "类别", filters.category.name if filters.category else "（全部）"
    yield "区县", filters.county.name if filters.county else "（全部）"
    yield "来源", str(Source(filters.source).label) if filters.source else "（全部）"
    yield "亲清半月谈", f"第{filters.session.number}期" if filters.session else "（全部）"
    yield "导出时间", timezone.localtime()


@login_required
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables as one workbook: the total, the ranking and each breakdown."""
    _require_stats(request)
    form = _form(request)
    if not form.is_valid():
        return render(
            request, "400.html", {"detail": _("Check the filters of the figures.")}, status=400
        )
    filters = form.filters()
    rank_by = request.GET.get("rank") if request.GET.get("rank") in RANK_BY else "closure_rate"
    results = stats.stats_by(request.user, filters, ("department", "month", *BREAKDOWNS))
    columns = [column for _name, column in STATS_COLUMNS]
    sheets = [
        Sheet(
            "筛选条件", [Column("项目", 14), Column("值", 24, "datetime")], _filter_rows(filters)
        ),
        Sheet("总体", columns, _figure_rows([results[None].total])),
        Sheet(
            SHEET_TITLES["department"],
            [Column("名次", 6, "number"), *columns, Column("排名靠后", 9)],
            _figure_rows(stats.rank(results["department"].rows, rank_by), with_rank=True),
        ),
        *(
            Sheet(SHEET_TITLES[name], columns, _figure_rows(results[name].rows))
            for name in ("month", *BREAKDOWNS)
        ),
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"appeal-figures-{stamp}.xlsx", sheets)


@login_required
@require_GET
def appeal_list_export(request: HttpRequest) -> HttpResponse:
    """The appeal list with the same filters and sorting as the page, every row, as .xlsx: at
    once up to 10^4 rows, else as an export job whose page shows its progress."""
    return export_response(
        request, appeals_export.KIND, invalid_detail=_("Check the filters of the list.")
    )
