"""Excel exports: Chinese headers, Asia/Shanghai times, the list page's scope and filters."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from enterprises.exports import LIST_COLUMNS
from enterprises.models import Status
from enterprises.views.exports import STATS_COLUMNS
from tests.enterprises import stats_scenario as sc
from tests.factories import UserFactory, appeal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(clock, entrepreneur, dispatcher, handler, other_handler):
    return sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )


def naive(*parts) -> dt.datetime:
    """What openpyxl reads back: Excel keeps wall-clock times without a zone."""
    return dt.datetime(*parts, tzinfo=dt.UTC).replace(tzinfo=None)


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_list_export_has_chinese_headers_and_shanghai_times(scenario, client, leader):
    client.force_login(leader)
    book = workbook(client.get("/appeals/export/", {"accepted_from": "2026-11-13"}))
    sheet = book["诉求清单"]
    header, *rows = rows_of(sheet)
    assert header == [c.header for c in LIST_COLUMNS]
    assert header[:3] == ["编号", "标题", "企业"]
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    a12 = by_number[scenario.appeals["a12"].number]
    # Accepted at 23:30 in Shanghai (15:30 UTC): the sheet shows Shanghai's wall clock.
    assert a12["受理时间"] == naive(2026, 11, 13, 23, 30)
    a13 = by_number[scenario.appeals["a13"].number]
    assert a13["受理时间"] == naive(2026, 11, 14, 0, 10)
    assert len(rows) == 2


def test_list_export_follows_the_figure_filters_and_sorting(scenario, client, leader):
    client.force_login(leader)
    params = {"accepted_from": "2026-11-02", "accepted_to": "2026-11-13", "figure": "closed"}
    page = client.get("/appeals/", params)
    book = workbook(client.get("/appeals/export/", {**params, "sort": "submitted"}))
    header, *rows = rows_of(book.active)
    assert len(rows) == page.context["page"].paginator.count == 5
    numbers = [r[0] for r in rows]
    assert numbers == sorted(numbers)  # oldest first, as asked
    row = dict(zip(header, rows[0], strict=True))
    assert row["状态"] == str(Status.CLOSED.label)
    assert row["办理期限"] == naive(2026, 11, 16)  # a1, a date cell
    a3 = next(
        dict(zip(header, r, strict=True)) for r in rows if r[0] == scenario.appeals["a3"].number
    )
    assert a3["已延期"] == "是"
    assert a3["原办理期限"] == naive(2026, 11, 17)


def test_list_export_is_scoped_like_the_list(clock, client, entrepreneur, dispatcher, handler):
    mine = appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
    other = UserFactory(role="entrepreneur")
    from tests.factories import EnterpriseFactory, MembershipFactory

    other.enterprise = EnterpriseFactory()
    MembershipFactory(user=other, enterprise=other.enterprise, status="verified")
    theirs = appeal_in("submitted", entrepreneur=other)
    routed = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )

    def numbers(user):
        client.force_login(user)
        _header, *rows = rows_of(workbook(client.get("/appeals/export/")).active)
        return {r[0] for r in rows}

    assert numbers(entrepreneur) == {mine.number, routed.number}
    assert numbers(other) == {theirs.number}
    assert numbers(handler) == {routed.number}
    assert numbers(dispatcher) == {mine.number, theirs.number, routed.number}


def test_list_export_refuses_bad_filters(client, leader):
    client.force_login(leader)
    assert client.get("/appeals/export/", {"figure": "weather"}).status_code == 400
    assert client.get("/appeals/export/", {"overdue": "maybe"}).status_code == 400


def test_dashboard_export_has_every_table(scenario, client, leader):
    client.force_login(leader)
    book = workbook(client.get("/appeals/stats/export/", sc.PERIOD))
    assert book.sheetnames == [
        "筛选条件",
        "总体",
        "部门排名",
        "按月份",
        "按类别",
        "按区县",
        "按来源",
        "按亲清半月谈",
    ]
    conditions = dict(rows_of(book["筛选条件"]))
    assert conditions["受理日期起"] == "2026-11-02"
    header, total = rows_of(book["总体"])
    assert header == [c.header for _n, c in STATS_COLUMNS]
    total = dict(zip(header, total, strict=True))
    assert total["受理数"] == 10
    assert total["办结率"] == 0.5
    assert total["平均办理时长（工作日）"] == 9.6
    assert book["总体"]["D2"].number_format == "0.0%"
    header, *ranking = rows_of(book["部门排名"])
    assert header[0] == "名次" and header[-1] == "排名靠后"
    assert [r[1] for r in ranking][:2] == [scenario.a.name, scenario.b.name]
    unrouted = dict(zip(header, ranking[2], strict=True))
    assert unrouted["按期办结率"] is None  # empty cell where there is nothing to divide


def test_dashboard_export_scoped_for_a_head(scenario, client, handler):
    client.force_login(UserFactory(role="department_head", department=handler.department))
    book = workbook(client.get("/appeals/stats/export/", sc.PERIOD))
    _header, *ranking = rows_of(book["部门排名"])
    assert [r[1] for r in ranking] == [handler.department.name]


def test_text_that_looks_like_a_formula_stays_text(client, dispatcher, entrepreneur):
    entrepreneur.enterprise.name = "=1+2"
    entrepreneur.enterprise.save()
    appeal_in("submitted", entrepreneur=entrepreneur, title='=HYPERLINK("http://x.invalid","详情")')
    client.force_login(dispatcher)
    book = workbook(client.get("/appeals/export/"))
    cells = [cell for row in book.worksheets[0].iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {"=1+2", '=HYPERLINK("http://x.invalid","详情")'} <= values


def test_a_large_list_export_runs_as_a_job_for_its_owner(
    monkeypatch,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    client,
    dispatcher,
    entrepreneur,
):
    from config.celery import app as celery_app
    from portal.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("portal.views.exports.EXPORT_JOB_THRESHOLD", 2)
    monkeypatch.setitem(celery_app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    for _i in range(3):
        appeal_in("submitted", entrepreneur=entrepreneur)
    client.force_login(dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/appeals/export/", {"status": "submitted", "sort": "submitted"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.owner, job.kind, job.status, job.rows_done) == (
        dispatcher,
        "enterprises.appeals",
        "done",
        3,
    )
    assert job.params == {"status": ["submitted"], "sort": ["submitted"]}
    _header, *rows = rows_of(workbook(client.get(f"/exports/{job.pk}/download/")).active)
    assert len(rows) == 3 and [r[0] for r in rows] == sorted(r[0] for r in rows)
    client.force_login(UserFactory(role="dispatcher"))  # a colleague: not theirs
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_list_export_query_count_is_flat_in_rows(client, dispatcher, entrepreneur):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dispatcher)

    def queries_with(n):
        for _i in range(n):
            appeal_in("accepted", entrepreneur=entrepreneur, dispatcher=dispatcher)
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/appeals/export/").streaming_content)
        return len(captured)

    assert queries_with(2) == queries_with(20)
