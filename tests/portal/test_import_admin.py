"""The admin lists import jobs and remembered mappings read-only; others are kept out."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import ImportJob, ImportMapping
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory(role="dispatcher", username="owner-of-import")
    return ImportJob.objects.create(
        token="t" * 32,
        file=SimpleUploadedFile("名录.xlsx", b"PK"),
        name="名录.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        size=2,
        sha256="0" * 64,
        uploaded_by=owner,
        kind="xiangxian.people",
        rows_total=3,
        created=2,
        rejected=1,
    )


def test_an_administrator_sees_jobs_and_mappings_read_only(client, admin_user, job):
    ImportMapping.objects.create(user=job.uploaded_by, kind=job.kind, mapping={"姓名": "name"})
    client.force_login(admin_user)
    listing = client.get("/admin/portal/importjob/")
    assert listing.status_code == 200 and str(job.uploaded_by) in listing.content.decode()
    page = client.get(f"/admin/portal/importjob/{job.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/portal/importjob/add/").status_code == 403
    assert client.get("/admin/portal/importmapping/").status_code == 200
    client.post(f"/admin/portal/importjob/{job.pk}/change/", {"kind": "x"})
    job.refresh_from_db()
    assert job.kind == "xiangxian.people"


def test_staff_who_are_not_administrators_are_kept_out(client, dispatcher, job):
    client.force_login(dispatcher)
    assert client.get("/admin/portal/importjob/").status_code == 302
