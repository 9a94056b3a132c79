"""Excel downloads: the dashboard's tables, and any filtered appeal list.

Both read through the same code as their pages (``stats.stats_by``; ``selectors.appeals_for``
with ``AppealFilterSet``), so an export has exactly what the page shows, in the same scope.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises import selectors
from enterprises.filters import AppealFilterSet
from enterprises.models import Rating, Source, Status
from enterprises.selectors import stats
from enterprises.views.stats import BREAKDOWNS, RANK_BY, _form, _require_stats
from portal.exports import Column, Sheet, xlsx_response
from portal.models import Region

YES, NO = "是", "否"
EXPORT_MAX_ROWS = 1_000_000  # an Excel sheet holds 1,048,576 rows

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


LIST_COLUMNS = (
    Column("编号", 17),
    Column("标题", 30),
    Column("企业", 30),
    Column("类别", 12),
    Column("来源", 10),
    Column("状态", 9),
    Column("主办部门", 24),
    Column("区县", 10),
    Column("提交时间", 17, "datetime"),
    Column("受理时间", 17, "datetime"),
    Column("首次分派时间", 17, "datetime"),
    Column("签收时间", 17, "datetime"),
    Column("答复时间", 17, "datetime"),
    Column("办结时间", 17, "datetime"),
    Column("办理期限", 11, "date"),
    Column("原办理期限", 11, "date"),
    Column("已延期", 7),
    Column("停表工作日", 10, "number"),
    Column("评价", 10),
    Column("回访评价", 10),
    Column("答复次数", 9, "number"),
    Column("重办次数", 9, "number"),
    Column("督办", 6),
    Column("超期", 6),
)
LIST_FIELDS = (
    "number",
    "title",
    "enterprise__name",
    "category__name",
    "source",
    "status",
    "lead_department__name",
    "county_id",
    "submitted_at",
    "accepted_at",
    "assigned_at",
    "signed_at",
    "replied_at",
    "closed_at",
    "due_date",
    "original_due_date",
    "extended",
    "stopped_days",
    "rating",
    "callback_rating",
    "reply_count",
    "rehandle_count",
    "is_supervised",
)


def _appeal_rows(queryset, today):
    counties = dict(Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", "name"))
    statuses = {value: str(label) for value, label in Status.choices}
    sources = {value: str(label) for value, label in Source.choices}
    ratings = {"": "", **{value: str(label) for value, label in Rating.choices}}
    unanswered = {Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS}
    rows = (
        queryset.annotate(county_id=stats.county_key())
        .values_list(*LIST_FIELDS)
        .iterator(chunk_size=2000)
    )
    for values in rows:
        row = dict(zip(LIST_FIELDS, values, strict=True))
        overdue = row["status"] in unanswered and row["due_date"] and row["due_date"] < today
        yield [
            row["number"],
            row["title"],
            row["enterprise__name"],
            row["category__name"],
            sources.get(row["source"], row["source"]),
            statuses.get(row["status"], row["status"]),
            row["lead_department__name"] or "",
            counties.get(row["county_id"], ""),
            row["submitted_at"],
            row["accepted_at"],
            row["assigned_at"],
            row["signed_at"],
            row["replied_at"],
            row["closed_at"],
            row["due_date"],
            row["original_due_date"],
            YES if row["extended"] else NO,
            row["stopped_days"],
            ratings.get(row["rating"], row["rating"]),
            ratings.get(row["callback_rating"], row["callback_rating"]),
            row["reply_count"],
            row["rehandle_count"],
            YES if row["is_supervised"] else NO,
            YES if overdue else NO,
        ]


def appeal_queryset_for_export(request: HttpRequest):
    """The list page's appeals for these parameters (scope, filters, sort), or None when a
    filter is invalid."""
    from enterprises.views.appeals import SORTS

    filterset = AppealFilterSet(
        request.GET or None, queryset=selectors.appeals_for(request.user).order_by()
    )
    if filterset.is_bound and not filterset.is_valid():
        return None
    sort = request.GET.get("sort", "-submitted")
    ordering = SORTS.get(sort, SORTS["-submitted"])[0]
    return filterset.qs.order_by(*ordering)


@login_required
@require_GET
def appeal_list_export(request: HttpRequest) -> HttpResponse:
    """The appeal list with the same filters and sorting as the page, every row, as .xlsx."""
    queryset = appeal_queryset_for_export(request)
    if queryset is None:
        return render(
            request, "400.html", {"detail": _("Check the filters of the list.")}, status=400
        )
    rows = _appeal_rows(queryset[:EXPORT_MAX_ROWS], timezone.localdate())
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"appeals-{stamp}.xlsx", [Sheet("诉求清单", LIST_COLUMNS, rows)])
