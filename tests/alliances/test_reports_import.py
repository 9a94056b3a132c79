"""Excel import of the villages' figures (portal's import kind ``alliances.reports``): a
reporter's own village, a county's villages, row errors, locked versions, the dry run."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from alliances.models import VillageReport
from alliances.services import ensure_indicators, report_create, report_transition
from portal.imports import import_kind
from portal.services.imports import import_file

HEADERS = ["村代码", "村名", "期间", "村集体经济收入（元）", "经营性收入（元）"]


@pytest.fixture(autouse=True)
def indicators(db):
    ensure_indicators()


def workbook(*rows, headers=HEADERS):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "figures.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_county_staff_import_their_villages(county_longyou, places):
    job, errors = import_file(
        "alliances.reports",
        actor=county_longyou,
        file=workbook(
            (places["shuangdai"].code, "双戴村", "2023H1", 662000, 353000),
            (places["muchen_v"].code, "沐尘村", "2023h1", "700,000", 400000),
        ),
    )
    assert errors == []
    assert job.status == "done", job.error
    reports = VillageReport.objects.order_by("village__code")
    assert [(r.village.name, r.status) for r in reports] == [
        ("双戴村", "draft"),
        ("沐尘村", "draft"),
    ]
    assert reports[1].values.get(indicator__code="collective_income").value == 700000
    assert [s.action for s in reports[0].steps.all()] == ["import"]


def test_row_errors_and_another_countys_village(county_longyou, places):
    job, errors = import_file(
        "alliances.reports",
        actor=county_longyou,
        file=workbook(
            ("12345", "", "2023H1", 1, 1),
            (places["shuangdai"].code, "", "2023Q1", "x", 1),
            (places["shuangdai"].code, "", "2023H2", 1, 1),
            (places["shuangdai"].code, "", "2023H2", 2, 2),
        ),
    )
    columns = {(e.row, e.column) for e in errors}
    assert {(2, "村代码"), (3, "期间"), (3, "村集体经济收入（元）")} <= columns
    assert 5 in {e.row for e in errors}  # the same village and period twice
    assert not VillageReport.objects.exists()
    job, errors = import_file(
        "alliances.reports",
        actor=county_longyou,
        file=workbook((places["js_a"].code, "峡口村", "2023H1", 1, 1)),
    )
    assert job.status == "failed" and "峡口村" in job.error
    assert not VillageReport.objects.exists()


def test_a_reporter_updates_a_draft_but_never_a_submitted_report(reporter, places):
    report = report_create(
        actor=reporter,
        village=places["shuangdai"],
        period="2023H1",
        values={"collective_income": "1", "operating_income": "1"},
    )
    job, errors = import_file(
        "alliances.reports",
        actor=reporter,
        file=workbook((places["shuangdai"].code, "", "2023H1", 662000, 353000)),
    )
    assert errors == [] and job.status == "done"
    report.refresh_from_db()
    assert report.values.get(indicator__code="collective_income").value == 662000
    report_transition(report=report, actor=reporter, action="submit")
    job, errors = import_file(
        "alliances.reports",
        actor=reporter,
        file=workbook((places["shuangdai"].code, "", "2023H1", 1, 1)),
    )
    assert [e.column for e in errors] == ["期间"]
    assert report.values.get(indicator__code="collective_income").value == 662000


def test_the_kind_is_for_reporters_and_county_staff(office, reporter, county_longyou):
    spec = import_kind("alliances.reports")
    assert spec.allowed(reporter) and spec.allowed(county_longyou) and not spec.allowed(office)
    assert spec.template().startswith(b"PK")
