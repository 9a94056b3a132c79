"""Excel imports (portal.imports): the mapping remembered per person and kind, the dry run, all
rows or none and valid rows only, the file of rejected rows, refused files, the Celery path, the
audit row, and pages only the job's owner sees."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from config.celery import app as celery_app
from portal.imports import (
    MAX_UNPACKED_BYTES,
    ImportColumn,
    ImportKind,
    WriteCounts,
    normalise_header,
    register_import,
    suggest_mapping,
)
from portal.models import AuditLog, Department, ImportJob, ImportMapping, Role
from portal.services import import_job_run, import_jobs_requeue
from portal.services import imports as import_services
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "tests.departments"


def parse_code(value, context) -> str:
    code = str(value).strip()
    if not code.isascii() or not code.replace("-", "").isalnum():
        raise ValidationError("编码只能包含字母、数字和连字符。")
    return code.lower()


def parse_order(value, context) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("排序须为整数。") from None


def write_departments(rows, *, actor, note="", request=None) -> WriteCounts:
    created = updated = unchanged = 0
    for row in rows:
        department = Department.objects.filter(code=row["code"]).first()
        if department is None:
            Department.objects.create(code=row["code"], name=row["name"], sort_order=row["order"])
            created += 1
        elif (department.name, department.sort_order) != (row["name"], row["order"]):
            department.name, department.sort_order = row["name"], row["order"]
            department.save()
            updated += 1
        else:
            unchanged += 1
    return WriteCounts(created, updated, unchanged)


SPEC = ImportKind(
    label="测试部门",
    columns=(
        ImportColumn("code", "编码", required=True, parse=parse_code),
        ImportColumn("name", "名称", required=True),
        ImportColumn("order", "排序", parse=parse_order, empty=100),
    ),
    write=write_departments,
    roles=(Role.DISPATCHER, Role.ADMIN),
    natural_key=("code",),
    template=lambda: xlsx(["编码", "名称", "排序"], []),
)
register_import(KIND, SPEC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager():
    """Real Celery, run in the process (no broker)."""
    from portal.tasks import run_import

    # The task's own app (another test may have made a different Celery app current).
    apps = {id(app): app for app in (celery_app, run_import.app)}.values()
    # The project's app reads Django's settings under the CELERY_ namespace, another app the
    # plain key: set both.
    keys = ("CELERY_TASK_ALWAYS_EAGER", "task_always_eager")
    before = [(app, app.conf.task_always_eager) for app in apps]
    for app, _eager in before:
        for key in keys:
            app.conf[key] = True
    yield
    for app, eager in before:
        for key in keys:
            app.conf[key] = eager


@pytest.fixture
def colleague(db):
    return UserFactory(role="dispatcher")


@pytest.fixture
def outsider(db):
    return UserFactory(role="entrepreneur")


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [["imp-a", "导入甲局", 1], ["imp-b", "导入乙局", 2], ["imp-c", "导入丙局", None]]
MIXED = [
    ["imp-a", "导入甲局", 1],
    ["坏编码", "导入乙局", 2],  # row 3: the code
    ["imp-c", "", "x"],  # row 4: name missing, order not a number
    ["imp-a", "导入重复", 4],  # row 5: the same code as row 2
    ["imp-e", "导入戊局", 5],
]


def upload(client, content: bytes, name="部门.xlsx"):
    return client.post("/imports/new/", {"kind": KIND, "file": SimpleUploadedFile(name, content)})


def mapping_fields(job: ImportJob, **chosen) -> dict:
    headers = [h for h in job.headers if h]
    return {f"column_{i}": chosen.get(h, job.mapping.get(h, "")) for i, h in enumerate(headers)}


def checked_job(client, content: bytes, **chosen) -> ImportJob:
    assert upload(client, content).status_code == 302
    job = ImportJob.objects.latest("pk")
    response = client.post(f"/imports/{job.pk}/check/", mapping_fields(job, **chosen))
    assert response.status_code == 302, response.content.decode()[-3000:]
    job.refresh_from_db()
    return job


# --- mapping ---------------------------------------------------------------------------------


def test_the_second_import_of_a_sheet_maps_itself(client, dispatcher, colleague):
    headers = ["代号", "全称", "备注"]
    content = xlsx(headers, GOOD)
    client.force_login(dispatcher)
    assert upload(client, content).status_code == 302
    first = ImportJob.objects.get()
    assert first.mapping == {"代号": "", "全称": "", "备注": ""}  # nothing alike
    page = client.get(f"/imports/{first.pk}/").content.decode()
    assert page.count('data-testid="mapping-select"') == 3
    response = client.post(
        f"/imports/{first.pk}/check/", mapping_fields(first, 代号="code", 全称="name")
    )
    assert response.status_code == 302
    saved = ImportMapping.objects.get(user=dispatcher, kind=KIND)
    assert saved.mapping == {"代号": "code", "全称": "name", "备注": ""}

    assert upload(client, content).status_code == 302
    second = ImportJob.objects.latest("pk")
    assert second.mapping == {"代号": "code", "全称": "name", "备注": ""}
    page = client.get(f"/imports/{second.pk}/").content.decode()
    assert '<option value="code" selected>' in page and '<option value="name" selected>' in page

    # Another person's choices are theirs: the colleague starts from the headers again.
    client.force_login(colleague)
    assert upload(client, content).status_code == 302
    assert ImportJob.objects.latest("pk").mapping == {"代号": "", "全称": "", "备注": ""}


def test_exact_and_similar_headers_are_matched_and_required_fields_must_be_chosen(
    client, dispatcher
):
    headers = [normalise_header(h) for h in ("（编码）", "部门名称", "排 序")]
    assert suggest_mapping(SPEC, headers, {}) == {
        "(编码)": "code",
        "部门名称": "name",
        "排序": "order",
    }
    client.force_login(dispatcher)
    assert upload(client, xlsx(["编码", "名称"], GOOD)).status_code == 302
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/check/", mapping_fields(job, 名称=""))
    assert response.status_code == 200
    assert "请为每个必填字段选择表格中的列；尚缺：名称。" in response.content.decode()
    response = client.post(f"/imports/{job.pk}/check/", mapping_fields(job, 名称="code"))
    assert "每个字段只能对应表格中的一列：编码。" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "uploaded"


# --- dry run and the two modes ----------------------------------------------------------------


def test_the_dry_run_reports_every_row_and_writes_nothing(client, dispatcher):
    client.force_login(dispatcher)
    before = Department.objects.count()
    job = checked_job(client, xlsx(["编码", "名称", "排序"], MIXED))
    assert (job.status, job.rows_total, job.rejected, job.valid_rows) == ("checked", 5, 3, 2)
    assert [(entry["row"], [e["column"] for e in entry["errors"]]) for entry in job.report] == [
        (3, ["编码"]),
        (4, ["名称", "排序"]),
        (5, ["编码"]),
    ]
    assert job.report[2]["errors"][0]["message"] == "该值与第2行重复。"
    assert Department.objects.count() == before
    assert not AuditLog.objects.filter(action="import").exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "已检查5行：有效2行，拒绝3行。" in page
    assert 'data-testid="error-row">4</td>' in page and "排序须为整数。" in page
    assert 'data-testid="apply-form"' in page


def test_all_or_nothing_with_a_bad_row_imports_nothing(client, dispatcher):
    client.force_login(dispatcher)
    before = Department.objects.count()
    job = checked_job(client, xlsx(["编码", "名称", "排序"], MIXED))
    response = client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.rejected) == ("failed", 0, 3)
    assert "未导入任何数据" in job.error
    assert Department.objects.count() == before
    assert not AuditLog.objects.filter(action="import").exists()
    # Applied once: a second apply is refused with a message, not run again.
    response = client.post(f"/imports/{job.pk}/apply/", {"mode": "valid"})
    assert response.status_code == 200
    assert "本次导入已执行" in response.content.decode()


def test_valid_rows_only_imports_the_rest_and_audits_the_counts(client, dispatcher):
    client.force_login(dispatcher)
    DepartmentFactory(code="imp-e", name="旧戊局", sort_order=9)
    job = checked_job(client, xlsx(["编码", "名称", "排序"], MIXED))
    response = client.post(f"/imports/{job.pk}/apply/", {"mode": "valid"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.mode, job.created, job.updated, job.rejected) == (
        "done",
        "valid",
        1,
        1,
        3,
    )
    assert Department.objects.get(code="imp-a").name == "导入甲局"
    assert Department.objects.get(code="imp-e").name == "导入戊局"
    assert not Department.objects.filter(name="导入重复").exists()
    entry = AuditLog.objects.get(action="import")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        dispatcher,
        "portal.importjob",
        str(job.pk),
    )
    assert "共5行，新增1条，更新1条，未变0条，拒绝3行" in entry.note
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "导入完成：新增1条，更新1条，未变0条，拒绝3行。" in page


def test_all_or_nothing_imports_a_clean_file_and_a_second_run_updates(client, dispatcher):
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称", "排序"], GOOD))
    assert client.post(f"/imports/{job.pk}/apply/", {"mode": "all"}).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.updated, job.unchanged) == ("done", 3, 0, 0)
    assert Department.objects.get(code="imp-c").sort_order == 100  # the empty cell's value
    changed = [GOOD[0], ["imp-b", "导入乙局（新）", 2], GOOD[2]]
    job = checked_job(client, xlsx(["编码", "名称", "排序"], changed))
    client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    job.refresh_from_db()
    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    assert AuditLog.objects.filter(action="import").count() == 2


def test_the_rejected_rows_download_keeps_the_cells_and_gives_the_reasons(client, dispatcher):
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称", "排序", "备注"], [r + ["注"] for r in MIXED]))
    response = client.get(f"/imports/{job.pk}/rejected/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["编码", "名称", "排序", "备注", "拒绝原因"]
    assert [row[:4] for row in rows[1:]] == [
        ["坏编码", "导入乙局", 2, "注"],
        ["imp-c", None, "x", "注"],
        ["imp-a", "导入重复", 4, "注"],
    ]
    assert rows[2][4] == "名称：该单元格为必填项。；排序：排序须为整数。"
    assert "编码：该值与第2行重复。" in rows[3][4]
    # A file every row of which was valid has no rejected rows to give.
    clean = checked_job(client, xlsx(["编码", "名称"], GOOD))
    assert client.get(f"/imports/{clean.pk}/rejected/").status_code == 404


# --- refused files ------------------------------------------------------------------------------


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(MAX_UNPACKED_BYTES // len(chunk) + 1):
                part.write(chunk)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("部门.xlsx", "bomb", "该工作簿解压后的数据量远超导入所需，无法导入。"),
        ("部门.xlsx", b"%PDF-1.7 not a workbook", "部门.xlsx不是有效的.xlsx文件。"),
        ("部门.xlsx", b"code,name\n1,2\n", "部门.xlsx不是有效的.xlsx文件。"),
        ("部门.csv", "good", "部门.csv：仅接受以下类型：.xlsx。"),
        ("部门.xlsx", "headers only", "表头下方没有数据。"),
    ],
)
def test_files_that_are_not_usable_workbooks_are_refused_in_chinese(
    client, dispatcher, name, content, message
):
    if content == "bomb":
        content = _bomb()
    elif content == "good":
        content = xlsx(["编码", "名称"], GOOD)
    elif content == "headers only":
        content = xlsx(["编码", "名称"], [])
    client.force_login(dispatcher)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_rows_are_refused(client, dispatcher, monkeypatch):
    import dataclasses

    from portal import imports

    monkeypatch.setitem(imports._KINDS, KIND, dataclasses.replace(SPEC, max_rows=2))
    client.force_login(dispatcher)
    response = upload(client, xlsx(["编码", "名称"], GOOD))
    assert response.context["form"].errors["file"] == [
        "文件中的数据超过2行，请拆分为多个较小的文件。"
    ]


# --- large files: a Celery task, a page that polls --------------------------------------------


def test_a_large_file_is_applied_by_the_worker_once(
    client, dispatcher, eager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_services, "IMPORT_JOB_THRESHOLD", 2)
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称", "排序"], GOOD))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post(f"/imports/{job.pk}/apply/", {"mode": "all"}).status_code == 302
    job.refresh_from_db()
    assert job.status == "queued" and len(callbacks) == 1
    html = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert "hx-get" in html and 'data-status="queued"' in html
    assert "<script" not in html and "style=" not in html  # CSP: no inline script or style

    callbacks[0]()  # the commit's publish: the task runs (eagerly) in this process
    job.refresh_from_db()
    assert (job.status, job.created, job.progress) == ("done", 3, 100)
    assert import_job_run(job.pk) == "done"  # a second copy of the task does nothing
    assert AuditLog.objects.filter(action="import").count() == 1
    html = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert "hx-get" not in html and 'data-testid="import-done"' in html


def test_a_small_file_runs_in_the_request_and_is_in_the_history(client, dispatcher):
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称"], GOOD))
    client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    job.refresh_from_db()
    assert job.status == "done"
    page = client.get("/imports/").content.decode()
    assert page.count('data-testid="import-job"') == 1 and "部门.xlsx" in page


def test_the_template_is_served_to_those_who_may_import(client, dispatcher, outsider):
    client.force_login(dispatcher)
    response = client.get(f"/imports/template/{KIND}/")
    assert response.status_code == 200
    assert list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)[0] == (
        "编码",
        "名称",
        "排序",
    )
    assert client.get("/imports/template/tests.nothing/").status_code == 404
    client.force_login(outsider)
    assert client.get(f"/imports/template/{KIND}/").status_code == 403


# --- access --------------------------------------------------------------------------------------


def test_only_the_owner_sees_a_job(client, dispatcher, colleague, outsider):
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称", "排序"], MIXED))
    urls = [f"/imports/{job.pk}/{tail}" for tail in ("", "progress/", "rejected/")]
    for url in urls:
        assert client.get(url).status_code == 200, url
    for person in (colleague, outsider):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(f"/imports/{job.pk}/apply/", {"mode": "valid"}).status_code == 404
        assert client.post(f"/imports/{job.pk}/check/", {}).status_code == 404
        assert 'data-testid="import-job"' not in client.get("/imports/").content.decode()
    job.refresh_from_db()
    assert job.status == "checked"
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page


def test_only_the_kinds_roles_may_start_an_import(client, dispatcher, outsider, leader):
    client.force_login(dispatcher)
    page = client.get("/imports/new/")
    assert page.status_code == 200 and KIND in page.content.decode()
    for person in (outsider, leader):
        client.force_login(person)
        assert client.get("/imports/new/").status_code == 403
        assert upload(client, xlsx(["编码", "名称"], GOOD)).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_catch_up_queues_lost_jobs_again_and_fails_them_after_three_attempts(
    client, dispatcher, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_services, "IMPORT_JOB_THRESHOLD", 2)
    client.force_login(dispatcher)
    job = checked_job(client, xlsx(["编码", "名称"], GOOD))
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost
        client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    job.refresh_from_db()
    assert import_jobs_requeue(job.queued_at) == 0  # still within its grace
    later = job.queued_at + dt.timedelta(minutes=3)
    published = []
    monkeypatch.setattr(import_services, "_publish", published.append)
    assert import_jobs_requeue(later) == 1 and published == [job.pk]
    assert import_job_run(job.pk) == "done"
    assert Department.objects.filter(code="imp-a").exists()

    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=3)
    import_jobs_requeue(later + dt.timedelta(hours=1))
    job.refresh_from_db()
    assert job.status == "failed" and "多次中断" in job.error


def test_the_list_of_imports_runs_a_fixed_number_of_queries(client, dispatcher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dispatcher)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/imports/").status_code == 200
        return len(captured.captured_queries)

    checked_job(client, xlsx(["编码", "名称"], GOOD))
    few = count()
    for _ in range(5):
        checked_job(client, xlsx(["编码", "名称"], GOOD))
    assert count() == few


def test_rows_are_checked_before_they_are_imported(client, dispatcher):
    client.force_login(dispatcher)
    assert upload(client, xlsx(["编码", "名称"], GOOD)).status_code == 302
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/apply/", {"mode": "all"})
    assert response.status_code == 200
    assert "请先逐行检查（试运行），再执行导入。" in response.content.decode()
    assert client.post(f"/imports/{job.pk}/apply/", {"mode": "nonsense"}).status_code == 200
    job.refresh_from_db()
    assert job.status == "uploaded"
