"""What xiangxian give back (反哺): an amount or a quantity with its unit, checked by the database
and the service; evidence checked by its content; pages, access and merges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Attachment, AuditLog
from tests.xiangxian.conftest import OUTSIDER_ROLES
from xiangxian import services
from xiangxian.models import Contribution

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def data(village):
    return {
        "kind": "purchase",
        "title": "兜底收购胡柚",
        "region": village.pk,
        "made_on": "2025-11-20",
        "quantity": "5000",
        "unit": "t",
        "income_added_yuan": "1200000",
        "description": "以保底价收购全村胡柚",
    }


def contribution(person, data, actor, **changes):
    return services.contribution_create(actor=actor, xiangxian=person, data={**data, **changes})


# --- the model --------------------------------------------------------------------------------


def test_the_database_wants_an_amount_or_a_quantity_and_a_unit_with_a_quantity(
    make_person, village
):
    person = make_person()
    base = {
        "xiangxian": person,
        "kind": "donation",
        "title": "捐建",
        "region": village,
        "made_on": dt.date(2025, 1, 1),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(**base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(**base, quantity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(**base, amount_yuan=-1)
    Contribution.objects.create(**base, amount_yuan=Decimal("500000"))
    Contribution.objects.create(**base, quantity=5000, unit="t")


# --- services ---------------------------------------------------------------------------------


def test_recording_a_contribution_with_evidence_is_audited(make_person, data, editor):
    person = make_person()
    upload = SimpleUploadedFile("收购协议.pdf", PDF, content_type="application/pdf")
    made = services.contribution_create(actor=editor, xiangxian=person, data=data, files=[upload])
    assert (made.quantity, made.unit, made.amount_yuan) == (Decimal("5000"), "t", None)
    assert Attachment.objects.for_object(made).get().name == "收购协议.pdf"
    audit = AuditLog.objects.get(target_type="xiangxian.contribution", action="create")
    assert audit.actor == editor and "files" in audit.fields and "quantity" in audit.fields
    services.contribution_update(
        actor=editor, contribution=made, data={**data, "amount_yuan": "800000"}
    )
    update = AuditLog.objects.get(target_type="xiangxian.contribution", action="update")
    assert update.fields == ["amount_yuan"]


def test_a_missing_unit_or_nothing_given_is_refused_and_nothing_written(make_person, data, editor):
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        contribution(person, data, editor, unit="")
    assert "unit" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        contribution(person, data, editor, quantity="", unit="")
    assert "amount_yuan" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        contribution(person, data, editor, region="", amount_yuan="-3")
    assert {"region", "amount_yuan"} <= set(caught.value.message_dict)
    assert not Contribution.objects.exists() and not AuditLog.objects.exists()


def test_a_county_is_not_a_beneficiary(make_person, data, editor, jiangshan):
    with pytest.raises(ValidationError) as caught:
        contribution(make_person(), data, editor, region=jiangshan.pk)
    assert "region" in caught.value.message_dict


def test_a_file_that_is_not_what_it_says_is_refused_with_nothing_written(make_person, data, editor):
    fake = SimpleUploadedFile("协议.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.contribution_create(actor=editor, xiangxian=make_person(), data=data, files=[fake])
    assert "files" in caught.value.message_dict
    assert not Contribution.objects.exists() and not Attachment.objects.exists()


def test_a_merge_moves_contributions_and_undo_brings_them_back(make_person, data, editor):
    kept, repeat = make_person(name="徐明远"), make_person(name="徐明远")
    given = contribution(repeat, data, editor)
    merge = services.xiangxian_merge(source=repeat, target=kept, actor=editor)
    given.refresh_from_db()
    assert given.xiangxian_id == kept.pk
    services.xiangxian_merge_undo(merge=merge, actor=editor)
    given.refresh_from_db()
    assert given.xiangxian_id == repeat.pk


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
def test_outsiders_get_403_on_the_list_and_404_on_a_contribution(
    client, make_person, data, editor, role, outsider_of
):
    person = make_person()
    given = contribution(person, data, editor)
    attachment = services.contribution_attach(
        actor=editor,
        contribution=given,
        files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
    )[0]
    client.force_login(outsider_of(role))
    assert client.get("/xiangxian/contributions/").status_code == 403
    assert client.get(f"/xiangxian/contributions/{given.pk}/").status_code == 404
    assert client.get(f"/xiangxian/contributions/{given.pk}/edit/").status_code == 403
    assert client.get(reverse("portal:attachment", args=[attachment.pk])).status_code in (403, 404)


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/xiangxian/contributions/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_leader_reads_a_contribution_and_its_evidence_but_changes_nothing(
    client, make_person, data, editor, leader
):
    given = contribution(make_person(), data, editor)
    client.force_login(leader)
    page = client.get(f"/xiangxian/contributions/{given.pk}/").content.decode()
    assert "兜底收购胡柚" in page and "attach-form" not in page
    assert client.get(f"/xiangxian/contributions/{given.pk}/edit/").status_code == 403
    assert client.post(f"/xiangxian/contributions/{given.pk}/files/").status_code == 403


def test_a_dispatcher_records_one_from_the_persons_page_with_a_file(
    client, make_person, data, editor
):
    person = make_person()
    client.force_login(editor)
    assert client.get(f"/xiangxian/{person.pk}/contributions/new/").status_code == 200
    upload = SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/xiangxian/{person.pk}/contributions/new/", {**data, "files": upload})
    assert response.status_code == 302
    given = Contribution.objects.get()
    detail = client.get(f"/xiangxian/contributions/{given.pk}/").content.decode()
    assert "照片.pdf" in detail and 'data-testid="attachment-link"' in detail
    attachment = Attachment.objects.for_object(given).get()
    assert client.get(reverse("portal:attachment", args=[attachment.pk])).status_code == 200
    assert "兜底收购胡柚" in client.get(f"/xiangxian/{person.pk}/").content.decode()
    edit = client.post(
        f"/xiangxian/contributions/{given.pk}/edit/", {**data, "title": "兜底收购胡柚（一期）"}
    )
    assert edit.status_code == 302
    given.refresh_from_db()
    assert given.title == "兜底收购胡柚（一期）"


def test_bad_input_on_the_page_gives_form_errors_and_writes_nothing(
    client, make_person, data, editor
):
    person = make_person()
    client.force_login(editor)
    url = f"/xiangxian/{person.pk}/contributions/new/"
    missing_unit = client.post(url, {**data, "unit": ""})
    assert missing_unit.status_code == 400 and missing_unit.context["form"].errors["unit"]
    negative = client.post(url, {**data, "amount_yuan": "-100"})
    assert negative.status_code == 400 and negative.context["form"].errors["amount_yuan"]
    fake = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    bad_file = client.post(url, {**data, "files": fake})
    assert bad_file.status_code == 400 and bad_file.context["form"].errors["files"]
    exe = SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert client.post(url, {**data, "files": exe}).status_code == 400
    assert not Contribution.objects.exists() and not Attachment.objects.exists()
    assert not AuditLog.objects.exists()


def test_attaching_a_bad_file_on_the_detail_page_is_refused(client, make_person, data, editor):
    given = contribution(make_person(), data, editor)
    client.force_login(editor)
    fake = SimpleUploadedFile("a.png", b"GIF89a not png", content_type="image/png")
    response = client.post(f"/xiangxian/contributions/{given.pk}/files/", {"files": fake})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    client.post(f"/xiangxian/contributions/{given.pk}/files/", {"files": good})
    assert Attachment.objects.for_object(given).count() == 1


def test_the_list_filters_and_reads_a_flat_number_of_queries(client, make_person, data, editor):
    client.force_login(editor)
    contribution(make_person(name="甲"), data, editor)
    client.get("/xiangxian/contributions/")
    with CaptureQueriesContext(connection) as few:
        client.get("/xiangxian/contributions/")
    for n in range(12):
        contribution(
            make_person(name=f"乙{n}"),
            data,
            editor,
            kind="donation",
            quantity="",
            unit="",
            amount_yuan=str(1000 + n),
            made_on="2024-03-01",
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/xiangxian/contributions/")
    assert len(many) == len(few), [q["sql"] for q in many]
    kinds = client.get("/xiangxian/contributions/", {"kind": "purchase"}).context["page"]
    assert [c.title for c in kinds.object_list] == ["兜底收购胡柚"]
    years = client.get("/xiangxian/contributions/", {"year": 2024}).context["page"]
    assert years.paginator.count == 12
    assert client.get("/xiangxian/contributions/", {"kind": "nope"}).status_code == 200
