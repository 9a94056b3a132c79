"""Export jobs: the registry, text kept as text, the job run once however often it is queued,
the catch-up, and the pages only the job's owner sees."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from config.celery import app as celery_app
from portal import exports
from portal.exports import Column, Export, ExportParamsInvalid, Sheet, register_export
from portal.models import Department, ExportJob
from portal.services import export_job_run, export_jobs_requeue, export_request
from portal.services import exports as export_services
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "tests.departments"
COLUMNS = [Column("编码", 12), Column("名称", 24), Column("创建", 17, "datetime")]


def departments(params, user) -> Export:
    """A test kind: departments, scoped like their page, optionally filtered by a name."""
    if params.get("name") == "!":
        raise ExportParamsInvalid("Check the name.")
    queryset = Department.objects.visible_to(user).order_by("code")
    if params.get("name"):
        queryset = queryset.filter(name__contains=params["name"])
    rows = (
        (code, name, timezone.now())
        for code, name in queryset.values_list("code", "name").iterator(chunk_size=100)
    )
    return Export("departments.xlsx", [Sheet("部门", COLUMNS, rows)], queryset.count())


register_export(KIND, departments)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager():
    """Real Celery, run in the process (no broker)."""
    # The app reads Django's settings under the CELERY_ namespace: set the key it reads.
    before = celery_app.conf.task_always_eager
    celery_app.conf["CELERY_TASK_ALWAYS_EAGER"] = True
    yield
    celery_app.conf["CELERY_TASK_ALWAYS_EAGER"] = before


def read_back(job: ExportJob):
    with job.file.open("rb") as f:
        return load_workbook(io.BytesIO(f.read()))


def test_kinds_are_namespaced_and_registered_once():
    with pytest.raises(ValueError, match="namespaced"):
        register_export("departments", departments)
    with pytest.raises(ValueError, match="already"):
        register_export(KIND, lambda params, user: None)
    register_export(KIND, departments)  # the same builder again (a second ready()) is fine
    assert KIND in exports.export_kinds()
    with pytest.raises(ExportParamsInvalid):
        exports.build_export("tests.nothing", {}, UserFactory())


def test_text_that_looks_like_a_formula_stays_text():
    texts = ["=1+2", "+86 570 1234", "-3", "@SUM(A1:A2)", '=HYPERLINK("http://x.invalid")']
    target = io.BytesIO()
    rows = [[t, 1.5, dt.date(2026, 12, 7)] for t in texts]
    columns = [Column("文本"), Column("数", kind="percent"), Column("日期", kind="date")]
    assert exports.write_workbook([Sheet("表", columns, rows)], target) == len(texts)
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == texts
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)  # Excel keeps it text when the cell is edited
    assert sheet["B2"].number_format == "0.0%" and sheet["C2"].value.date() == dt.date(2026, 12, 7)
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_a_job_runs_after_the_commit_and_its_owner_downloads_it(
    eager, django_capture_on_commit_callbacks, client, dispatcher
):
    DepartmentFactory(name="=危险名称", code="d-1")
    DepartmentFactory(name="市发改委", code="d-2")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = export_request(user=dispatcher, kind=KIND, params={})
        assert ExportJob.objects.get(pk=job.pk).status == "pending"  # nothing before the commit
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 2, 2)
    assert job.filename == "departments.xlsx" and job.finished_at and job.attempts == 1
    header, *rows = read_back(job).active.iter_rows(values_only=True)
    assert header == ("编码", "名称", "创建")
    assert [r[:2] for r in rows] == [("d-1", "=危险名称"), ("d-2", "市发改委")]

    client.force_login(dispatcher)
    page = client.get(f"/exports/{job.pk}/")
    assert page.status_code == 200
    assert f"/exports/{job.pk}/download/" in page.content.decode()
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert 'filename="departments.xlsx"' in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert load_workbook(io.BytesIO(b"".join(download.streaming_content))).sheetnames == ["部门"]


def test_running_twice_builds_once():
    owner = UserFactory()
    job = export_request(user=owner, kind=KIND, params={})
    assert export_job_run(job.pk) == "done"
    job.refresh_from_db()
    first = job.file.name
    assert export_job_run(job.pk) == "done"
    job.refresh_from_db()
    assert job.file.name == first and job.attempts == 1
    assert export_job_run(10**9) == ""  # a job that is gone


def test_a_job_another_worker_holds_is_left_alone():
    job = export_request(user=UserFactory(), kind=KIND, params={})
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", attempts=1, claimed_until=timezone.now() + dt.timedelta(minutes=1)
    )
    assert export_job_run(job.pk) == "running"
    job.refresh_from_db()
    assert not job.file and job.attempts == 1


def test_a_run_that_lost_its_lease_stores_nothing(monkeypatch):
    job = export_request(user=UserFactory(), kind=KIND, params={})
    real = exports.write_workbook

    def overtaken(sheets, target, on_progress=None):
        written = real(sheets, target)
        # Meanwhile the lease ran out and another run claimed the job (a new attempt).
        ExportJob.objects.filter(pk=job.pk).update(attempts=5)
        return written

    monkeypatch.setattr(export_services, "write_workbook", overtaken)
    assert export_job_run(job.pk) == "running"
    job.refresh_from_db()
    assert not job.file
    assert not default_storage.exists("exports") or not any(
        files for _dirs, files in [default_storage.listdir("exports")]
    )


def test_refused_parameters_fail_the_job_with_the_reason():
    owner = UserFactory()
    with pytest.raises(ExportParamsInvalid):
        export_request(user=owner, kind=KIND, params={"name": ["!"]})
    job = ExportJob.objects.create(owner=owner, kind=KIND, params={"name": ["!"]})
    assert export_job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "Check the name." and job.finished_at


def test_an_unexpected_error_fails_the_job_without_detail(monkeypatch):
    job = export_request(user=UserFactory(), kind=KIND, params={})

    def broken(*args, **kwargs):
        raise OSError("disk full at /secret/path")

    monkeypatch.setattr(export_services, "write_workbook", broken)
    assert export_job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert "/secret" not in job.error and job.error


def test_the_catch_up_queues_stuck_jobs_again(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("portal.tasks.run_export.delay", queued.append)
    owner = UserFactory()
    now = timezone.now()
    past, future = now - dt.timedelta(minutes=1), now + dt.timedelta(minutes=1)
    lost = ExportJob.objects.create(owner=owner, kind=KIND, claimed_until=past)
    fresh = ExportJob.objects.create(owner=owner, kind=KIND, claimed_until=future)
    dead = ExportJob.objects.create(
        owner=owner, kind=KIND, status="running", attempts=1, claimed_until=past
    )
    busy = ExportJob.objects.create(
        owner=owner, kind=KIND, status="running", attempts=1, claimed_until=future
    )
    worn = ExportJob.objects.create(
        owner=owner, kind=KIND, status="running", attempts=3, claimed_until=past
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert export_jobs_requeue(now) == 2
    assert sorted(queued) == sorted([lost.pk, dead.pk])
    lost.refresh_from_db()
    assert lost.claimed_until > now  # a new grace: the next minute does not queue it again
    worn.refresh_from_db()
    assert worn.status == "failed" and worn.finished_at
    # The dead worker's job is claimed by the next run; the busy one is not.
    assert export_job_run(dead.pk) == "done"
    assert export_job_run(busy.pk) == "running"
    assert {fresh.status} == {"pending"}


def test_query_count_is_flat_in_rows():
    owner = UserFactory(role="dispatcher")

    def queries_for(n):
        Department.objects.all().delete()
        for _i in range(n):
            DepartmentFactory()
        job = export_request(user=owner, kind=KIND, params={})
        with CaptureQueriesContext(connection) as captured:
            assert export_job_run(job.pk) == "done"
        return len(captured)

    assert queries_for(3) == queries_for(30)


@pytest.fixture
def job_of(dispatcher):
    job = export_request(user=dispatcher, kind=KIND, params={})
    export_job_run(job.pk)
    return job


@pytest.mark.parametrize("page", ["", "progress/", "download/"])
def test_only_the_owner_sees_a_job(client, job_of, dispatcher, page):
    colleague = UserFactory(role="dispatcher")  # same role, same scope: still not theirs
    outsider = UserFactory(role="entrepreneur")
    url = f"/exports/{job_of.pk}/{page}"
    assert client.get(url).status_code == 302  # to the login page
    for user, status in ((dispatcher, 200), (colleague, 404), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(colleague)
    assert str(job_of.pk) not in client.get("/exports/").content.decode().split("data-testid")[-1]


def test_the_page_polls_until_the_job_is_finished(client, dispatcher):
    job = ExportJob.objects.create(owner=dispatcher, kind=KIND, rows_total=200, rows_done=50)
    ExportJob.objects.filter(pk=job.pk).update(status="running")
    client.force_login(dispatcher)
    html = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert f'hx-get="/exports/{job.pk}/progress/"' in html and "25%" in html
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404  # not ready
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="太大了")
    html = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "hx-get" not in html and "太大了" in html
    listing = client.get("/exports/")
    assert listing.status_code == 200 and f"/exports/{job.pk}/" in listing.content.decode()


def test_finished_jobs_past_their_keeping_time_go_with_their_files(
    settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_KEEP_DAYS = 7
    owner = UserFactory()
    old, recent, waiting = (export_request(user=owner, kind=KIND, params={}) for _ in range(3))
    for job in (old, recent):
        assert export_job_run(job.pk) == "done"
    old.refresh_from_db()
    recent.refresh_from_db()
    now = timezone.now()
    ExportJob.objects.filter(pk=old.pk).update(finished_at=now - dt.timedelta(days=8))
    ExportJob.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(days=30))
    assert default_storage.exists(old.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert export_services.export_jobs_purge(now) == 1
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    # A job not finished is never purged, however old.
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_the_admin_lists_jobs_read_only_and_deleting_one_deletes_its_file(
    client, django_capture_on_commit_callbacks
):
    admin_user = UserFactory(role="admin", is_staff=True, is_superuser=True)
    job = export_request(user=UserFactory(), kind=KIND, params={})
    export_job_run(job.pk)
    job.refresh_from_db()
    client.force_login(admin_user)
    listing = client.get("/admin/portal/exportjob/")
    assert listing.status_code == 200 and KIND in listing.content.decode()
    assert client.get("/admin/portal/exportjob/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/portal/exportjob/{job.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.file.name)
