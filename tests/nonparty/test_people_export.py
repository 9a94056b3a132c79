"""The people list's export (.xlsx through the portal's exports, and .csv): the list's scope and
criteria, phones and ID numbers masked unless the office exports them (then audited)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nonparty import services
from portal.models import AuditLog

pytestmark = pytest.mark.django_db

PHONE = "13905701234"
ID_NUMBER = "330881199001010018"


@pytest.fixture
def listed(people, make_person, kecheng):
    own = make_person(name="叶江山", phone=PHONE, id_number=ID_NUMBER, status="recognised")
    make_person(name="林柯城", native_place=kecheng, field="law")
    services.liaison_link(
        actor=people["dispatcher"], person=own, cadre=people["cadre"], starts_on=own.birth_date
    )
    return own


def cells(response) -> list[list]:
    raw = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(raw), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    import csv

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_office_exports_everyone_in_full_and_it_is_audited(listed, people, client):
    client.force_login(people["dispatcher"])
    rows = cells(client.get(reverse("nonparty:export")))
    assert rows[0][0] == "姓名" and [r[0] for r in rows[1:]] == ["叶江山", "林柯城"]
    assert rows[1][-2:] == [PHONE, ID_NUMBER]
    audit = AuditLog.objects.filter(
        action=AuditLog.Action.VIEW_PERSONAL, actor=people["dispatcher"]
    )
    assert list(audit.values_list("target_id", "fields")) == [
        (str(listed.pk), ["phone", "id_number"])
    ]


def test_filters_apply_and_csv_matches(listed, people, client):
    client.force_login(people["admin"])
    rows = csv_rows(client.get(reverse("nonparty:export-csv"), {"field": "law"}))
    assert [r[0] for r in rows] == ["姓名", "林柯城"]
    rows = csv_rows(client.get(reverse("nonparty:export-csv"), {"q": "叶"}))
    assert rows[1][-2:] == [PHONE, ID_NUMBER]
    assert client.get(reverse("nonparty:export"), {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize("who", ["leader", "cadre", "county"])
def test_others_get_masked_numbers_and_their_scope_only(who, listed, people, client):
    client.force_login(people[who])
    rows = cells(client.get(reverse("nonparty:export")))
    names = [r[0] for r in rows[1:]]
    assert "叶江山" in names
    assert ("林柯城" in names) is (who == "leader")
    row = next(r for r in rows if r[0] == "叶江山")
    assert row[-2] == "139****1234" and PHONE not in str(rows) and ID_NUMBER not in str(rows)
    csv_text = str(csv_rows(client.get(reverse("nonparty:export-csv"))))
    assert PHONE not in csv_text and ID_NUMBER not in csv_text
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PERSONAL).exists()


def test_colleague_and_outsiders(listed, people, client):
    client.force_login(people["colleague"])
    assert len(cells(client.get(reverse("nonparty:export")))) == 1  # headers only
    client.force_login(people["other_county"])
    assert [r[0] for r in cells(client.get(reverse("nonparty:export")))[1:]] == ["林柯城"]
    client.force_login(people["entrepreneur"])
    assert client.get(reverse("nonparty:export")).status_code == 403
    assert client.get(reverse("nonparty:export-csv")).status_code == 403


def test_a_formula_is_written_as_text_in_csv(people, make_person, client):
    make_person(name="=HYPERLINK(1)")
    client.force_login(people["dispatcher"])
    rows = csv_rows(client.get(reverse("nonparty:export-csv")))
    assert rows[1][0] == "'=HYPERLINK(1)"
