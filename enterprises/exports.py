"""The appeal list as an export kind (``enterprises.appeals``), registered at start-up.

The rows are the list page's: its scope (``Appeal.objects.visible_to``), filters
(``AppealFilterSet``) and sorting, read in one query of exactly the columns' fields (no model
instances, no query per row) in chunks, plus one query for the counties' names.
"""

from django.utils import timezone

from enterprises.filters import AppealFilterSet
from enterprises.models import Appeal, Rating, Source, Status
from enterprises.selectors import stats
from portal.exports import Column, Export, ExportParamsInvalid, Sheet, register_export
from portal.models import Region

KIND = "enterprises.appeals"
YES, NO = "是", "否"
EXPORT_MAX_ROWS = 1_000_000  # an Excel sheet holds 1,048,576 rows
CHUNK_SIZE = 2_000

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


def appeal_queryset_for_export(params, user):
    """The list page's appeals for these parameters (scope, filters, sort); raises
    ``ExportParamsInvalid`` when a filter is invalid."""
    from enterprises.views.appeals import SORTS

    filterset = AppealFilterSet(params or None, queryset=Appeal.objects.visible_to(user).order_by())
    if filterset.is_bound and not filterset.is_valid():
        raise ExportParamsInvalid("Check the filters of the list.")
    sort = params.get("sort", "-submitted") if params else "-submitted"
    ordering = SORTS.get(sort, SORTS["-submitted"])[0]
    return filterset.qs.order_by(*ordering)


def appeal_rows(queryset, today):
    """One list per appeal in ``LIST_COLUMNS``' order, streamed in chunks."""
    counties = dict(Region.objects.filter(level=Region.Level.COUNTY).values_list("pk", "name"))
    statuses = {value: str(label) for value, label in Status.choices}
    sources = {value: str(label) for value, label in Source.choices}
    ratings = {"": "", **{value: str(label) for value, label in Rating.choices}}
    unanswered = {Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS}
    rows = (
        queryset.annotate(county_id=stats.county_key())
        .values_list(*LIST_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for (
        number,
        title,
        enterprise,
        category,
        source,
        status,
        department,
        county_id,
        submitted_at,
        accepted_at,
        assigned_at,
        signed_at,
        replied_at,
        closed_at,
        due_date,
        original_due_date,
        extended,
        stopped_days,
        rating,
        callback_rating,
        reply_count,
        rehandle_count,
        is_supervised,
    ) in rows:
        overdue = status in unanswered and due_date and due_date < today
        yield (
            number,
            title,
            enterprise,
            category,
            sources.get(source, source),
            statuses.get(status, status),
            department or "",
            counties.get(county_id, ""),
            submitted_at,
            accepted_at,
            assigned_at,
            signed_at,
            replied_at,
            closed_at,
            due_date,
            original_due_date,
            YES if extended else NO,
            stopped_days,
            ratings.get(rating, rating),
            ratings.get(callback_rating, callback_rating),
            reply_count,
            rehandle_count,
            YES if is_supervised else NO,
            YES if overdue else NO,
        )


def appeal_list_export(params, user) -> Export:
    """The appeal list with the page's filters and sorting, every row (up to a sheet's size)."""
    queryset = appeal_queryset_for_export(params, user)
    total = min(queryset.count(), EXPORT_MAX_ROWS)
    today = timezone.localdate()
    rows = appeal_rows(queryset[:EXPORT_MAX_ROWS], today)
    return Export(
        filename=f"appeals-{today:%Y%m%d}.xlsx",
        sheets=[Sheet("诉求清单", LIST_COLUMNS, rows)],
        total=total,
    )


register_export(KIND, appeal_list_export)
