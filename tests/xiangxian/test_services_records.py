"""Services to xiangxian (十项服务): the catalogue, records with a value never below 0, figures per
service and year counted from the rows, the pages and who may use them, merges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import AuditLog
from tests.xiangxian.conftest import OUTSIDER_ROLES
from xiangxian import selectors, services
from xiangxian.models import ServiceKind, ServiceRecord

pytestmark = pytest.mark.django_db


def kind(code: str) -> ServiceKind:
    return ServiceKind.objects.get(code=code)


def record(person, code, day, value, actor):
    return services.service_record_create(
        actor=actor,
        xiangxian=person,
        kind=kind(code),
        served_on=day,
        provider="衢州农商银行",
        value_yuan=value,
    )


# --- the catalogue and the model --------------------------------------------------------------


def test_the_catalogue_starts_with_ten_services_three_of_them_flagship():
    kinds = list(ServiceKind.objects.all())
    assert len(kinds) == 10
    assert [k.name for k in kinds if k.flagship] == ["金融服务", "商务服务", "畅游服务"]
    assert {"finance", "business", "travel", "medical"} <= {k.code for k in kinds}


def test_the_database_refuses_a_negative_value(make_person):
    person = make_person()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(
            xiangxian=person, kind=kind("finance"), served_on=dt.date(2025, 3, 1), value_yuan=-1
        )


# --- services ---------------------------------------------------------------------------------


def test_recording_correcting_and_deleting_are_each_audited(make_person, editor):
    person = make_person()
    row = record(person, "finance", dt.date(2025, 3, 1), "3000000", editor)
    assert row.value_yuan == Decimal("3000000") and row.recorded_by == editor
    created = AuditLog.objects.get(target_type="xiangxian.servicerecord", action="create")
    assert created.actor == editor and "value_yuan" in created.fields
    services.service_record_update(
        actor=editor,
        record=row,
        kind=kind("finance"),
        served_on=dt.date(2025, 3, 1),
        provider="衢州农商银行",
        value_yuan="3500000",
    )
    updated = AuditLog.objects.get(target_type="xiangxian.servicerecord", action="update")
    assert updated.fields == ["value_yuan"]
    pk = row.pk
    services.service_record_delete(actor=editor, record=row)
    assert not ServiceRecord.objects.exists()
    deleted = AuditLog.objects.get(
        target_type="xiangxian.servicerecord", action="delete", target_id=str(pk)
    )
    assert "金融服务" in deleted.note


def test_bad_values_are_refused_in_the_users_language_and_nothing_is_written(make_person, editor):
    person = make_person()
    with pytest.raises(ValidationError) as caught:
        services.service_record_create(
            actor=editor, xiangxian=person, kind=None, served_on="", value_yuan="-5"
        )
    assert set(caught.value.message_dict) == {"kind", "served_on", "value_yuan"}
    retired = kind("elderly")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError):
        record(person, "elderly", dt.date(2025, 1, 1), 0, editor)
    assert not ServiceRecord.objects.exists() and not AuditLog.objects.exists()


def test_only_the_registrys_editors_write(make_person, leader):
    with pytest.raises(PermissionDenied):
        record(make_person(), "finance", dt.date(2025, 1, 1), 1, leader)


# --- figures ----------------------------------------------------------------------------------


def test_figures_are_counted_and_summed_per_kind_and_year_from_the_rows(
    make_person, editor, leader
):
    a, b = make_person(name="甲"), make_person(name="乙")
    record(a, "finance", dt.date(2024, 5, 1), "1000000", editor)
    record(b, "finance", dt.date(2025, 2, 1), "2000000", editor)
    record(a, "finance", dt.date(2025, 9, 1), "500000.50", editor)
    record(a, "travel", dt.date(2025, 7, 1), "300", editor)
    record(b, "business", dt.date(2025, 12, 31), "0", editor)

    def by_kind(figures):
        return {f["kind"]: (f["count"], f["value_yuan"]) for f in figures}

    year = by_kind(selectors.service_figures(leader, year=2025))
    assert year["finance"] == (2, Decimal("2500000.50"))
    assert year["travel"] == (1, Decimal("300"))
    assert year["business"] == (1, Decimal("0"))
    assert year["medical"] == (0, Decimal("0"))
    every = by_kind(selectors.service_figures(leader))
    assert every["finance"] == (3, Decimal("3500000.50"))
    assert by_kind(selectors.service_figures(leader, year=2024))["travel"] == (0, Decimal(0))
    figures = selectors.service_figures(leader, year=2025)
    assert len(figures) == 10 and figures[0] == {
        "kind": "finance",
        "label": "金融服务",
        "count": 2,
        "value_yuan": Decimal("2500000.50"),
    }
    assert selectors.service_years(leader) == [2025, 2024]


def test_figures_count_only_the_rows_in_scope(make_person, editor, outsider_of):
    record(make_person(), "finance", dt.date(2025, 5, 1), "100", editor)
    figures = selectors.service_figures(outsider_of("handler"), year=2025)
    assert all(f["count"] == 0 for f in figures)


# --- merging ----------------------------------------------------------------------------------


def test_a_merge_moves_service_records_and_undo_brings_them_back(make_person, editor, leader):
    kept, repeat = make_person(name="徐明远"), make_person(name="徐明远")
    own = record(kept, "finance", dt.date(2025, 5, 1), "100", editor)
    moved = record(repeat, "travel", dt.date(2025, 6, 1), "200", editor)
    merge = services.xiangxian_merge(source=repeat, target=kept, actor=editor)
    assert set(kept.service_records.values_list("pk", flat=True)) == {own.pk, moved.pk}
    assert ServiceRecord.objects.visible_to(leader).count() == 2
    services.xiangxian_merge_undo(merge=merge, actor=editor)
    moved.refresh_from_db()
    assert moved.xiangxian_id == repeat.pk
    assert list(kept.service_records.values_list("pk", flat=True)) == [own.pk]


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OUTSIDER_ROLES)
def test_outsiders_get_403_on_the_list_and_404_on_records(
    client, make_person, editor, role, outsider_of
):
    person = make_person()
    row = record(person, "finance", dt.date(2025, 5, 1), "100", editor)
    client.force_login(outsider_of(role))
    assert client.get("/xiangxian/services/").status_code == 403
    assert client.get(f"/xiangxian/services/{row.pk}/edit/").status_code == 403
    assert client.get(f"/xiangxian/{person.pk}/services/new/").status_code == 403


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/xiangxian/services/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_leader_reads_the_figures_but_records_nothing(client, make_person, editor, leader):
    person = make_person()
    row = record(person, "finance", dt.date(2025, 5, 1), "1234", editor)
    client.force_login(leader)
    page = client.get("/xiangxian/services/", {"year": 2025})
    assert page.status_code == 200
    finance = next(f for f in page.context["figures"] if f["kind"] == "finance")
    assert finance["count"] == 1
    assert "service-create-link" not in client.get(f"/xiangxian/{person.pk}/").content.decode()
    assert client.post(f"/xiangxian/{person.pk}/services/new/", {}).status_code == 403
    assert client.post(f"/xiangxian/services/{row.pk}/delete/").status_code == 403
    assert ServiceRecord.objects.count() == 1


def test_a_dispatcher_records_a_service_from_the_persons_page(client, make_person, editor):
    person = make_person()
    client.force_login(editor)
    assert client.get(f"/xiangxian/{person.pk}/services/new/").status_code == 200
    response = client.post(
        f"/xiangxian/{person.pk}/services/new/",
        {
            "kind": kind("travel").pk,
            "served_on": "2025-10-01",
            "provider": "江郎山景区",
            "value_yuan": "150",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/xiangxian/{person.pk}/").content.decode()
    assert "江郎山景区" in page and "畅游服务" in page
    row = ServiceRecord.objects.get()
    assert client.post(f"/xiangxian/services/{row.pk}/delete/").status_code == 302
    assert not ServiceRecord.objects.exists()


def test_a_negative_value_is_a_form_error_and_writes_nothing(client, make_person, editor):
    person = make_person()
    client.force_login(editor)
    response = client.post(
        f"/xiangxian/{person.pk}/services/new/",
        {"kind": kind("finance").pk, "served_on": "2025-10-01", "value_yuan": "-10"},
    )
    assert response.status_code == 400 and response.context["form"].errors["value_yuan"]
    assert "0" in response.content.decode()
    assert not ServiceRecord.objects.exists() and not AuditLog.objects.exists()


def test_the_list_filters_by_kind_and_year(client, make_person, editor):
    person = make_person()
    record(person, "finance", dt.date(2024, 5, 1), "1", editor)
    record(person, "finance", dt.date(2025, 5, 1), "2", editor)
    record(person, "travel", dt.date(2025, 6, 1), "3", editor)
    client.force_login(editor)

    def values(**params):
        page = client.get("/xiangxian/services/", params).context["page"]
        return sorted(r.value_yuan for r in page.object_list)

    assert values() == [1, 2, 3]
    assert values(year=2025) == [2, 3]
    assert values(year=2025, kind=kind("finance").pk) == [2]
    bad = client.get("/xiangxian/services/", {"year": "abc", "kind": "x"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_list_reads_a_flat_number_of_queries(client, make_person, editor):
    client.force_login(editor)
    record(make_person(name="甲"), "finance", dt.date(2025, 1, 1), "1", editor)
    client.get("/xiangxian/services/")
    with CaptureQueriesContext(connection) as few:
        client.get("/xiangxian/services/")
    for n in range(15):
        record(make_person(name=f"乙{n}"), "travel", dt.date(2025, 2, n + 1), "2", editor)
    with CaptureQueriesContext(connection) as many:
        client.get("/xiangxian/services/")
    assert len(many) == len(few), [q["sql"] for q in many]


def test_the_persons_page_reads_a_flat_number_of_queries(client, make_person, editor):
    person = make_person()
    client.force_login(editor)
    record(person, "finance", dt.date(2025, 1, 1), "1", editor)
    client.get(f"/xiangxian/{person.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/xiangxian/{person.pk}/")
    for n in range(10):
        record(person, "travel", dt.date(2025, 2, n + 1), "2", editor)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/xiangxian/{person.pk}/")
    assert len(many) == len(few), [q["sql"] for q in many]
