"""Duty lists, records, overdue items and the reminders (once per item and period)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.models import DutyItem, DutyList, DutyRecord, item_periods
from grassroots.selectors import duty_list_for, on_time_share, unit_duties
from grassroots.services.duties import duty_record_add, send_duty_reminders
from portal.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_item_periods():
    assert item_periods("quarterly", dt.date(2023, 1, 1), dt.date(2023, 12, 31))[1] == (
        dt.date(2023, 4, 1),
        dt.date(2023, 6, 30),
    )
    assert len(item_periods("monthly", dt.date(2023, 1, 1), dt.date(2023, 12, 31))) == 12
    # A period cut by the range's end is not counted.
    assert item_periods("yearly", dt.date(2023, 1, 1), dt.date(2023, 6, 30)) == []


def test_county_list_overrides_the_city_one(units, duty_list, kecheng):
    city = DutyList.objects.create(domain="township", name="全市", year=2023)
    assert duty_list_for(units["own"]) == duty_list
    kecheng_township = units["own"].__class__.objects.create(
        domain="township", name="府山街道", region=kecheng
    )
    assert duty_list_for(kecheng_township) == city


def test_on_time_share_hand_computed(units, duty_list):
    monthly, quarterly = duty_list.items.all()
    unit = units["own"]
    # Q1 2023: 3 months + 1 quarter due; January, March and the quarter done → 3/4.
    for day, item in [
        (dt.date(2023, 1, 5), monthly),
        (dt.date(2023, 3, 9), monthly),
        (dt.date(2023, 2, 1), quarterly),
        (dt.date(2023, 4, 2), monthly),  # outside Q1
    ]:
        DutyRecord.objects.create(unit=unit, item=item, done_on=day, what="x")
    records = list(DutyRecord.objects.filter(unit=unit))
    assert on_time_share(duty_list, records, dt.date(2023, 1, 1), dt.date(2023, 3, 31)) == 0.75


def test_overdue_and_reminder_once(units, duty_list, people):
    monthly, quarterly = duty_list.items.all()
    unit = units["own"]
    today = dt.date(2024, 5, 10)
    DutyRecord.objects.create(unit=unit, item=quarterly, done_on=dt.date(2024, 2, 2), what="x")
    statuses = {s.item.title: s for s in unit_duties(unit, today)}
    assert statuses["例会"].overdue_period == "2024-04"
    assert not statuses["走访"].overdue
    assert send_duty_reminders(today) == 1
    assert send_duty_reminders(today) == 0  # the same item and period: not again
    note = Notification.objects.get(recipient=people["lead"])
    assert note.kind == "grassroots.duty_overdue" and "2024-04" in note.title
    # The colleague's unit has no list (a community): nothing for them.
    assert not Notification.objects.filter(recipient=people["colleague"]).exists()
    # A month later the next period is overdue: one more.
    assert send_duty_reminders(dt.date(2024, 6, 3)) == 1


def test_record_with_evidence_and_bad_input(units, duty_list, people):
    monthly = duty_list.items.first()
    upload = SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")
    record = duty_record_add(
        unit=units["own"],
        item=monthly,
        done_on=dt.date(2024, 1, 3),
        what="例会",
        actor=people["lead"],
        uploads=[upload],
    )
    from portal.models import Attachment

    assert Attachment.objects.for_object(record).count() == 1
    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        duty_record_add(
            unit=units["own"],
            item=monthly,
            done_on=dt.date(2999, 1, 1),
            what="",
            actor=people["lead"],
            uploads=[fake],
        )
    assert set(exc.value.message_dict) == {"done_on", "what", "files"}
    other = DutyItem.objects.create(
        duty_list=DutyList.objects.create(domain="park", name="园区", year=2023),
        title="园区",
        frequency="yearly",
    )
    with pytest.raises(ValidationError):
        duty_record_add(
            unit=units["own"],
            item=other,
            done_on=dt.date(2024, 1, 3),
            what="x",
            actor=people["lead"],
        )
    assert DutyRecord.objects.count() == 1


def test_record_page(units, duty_list, people):
    client = Client()
    client.force_login(people["lead"])
    url = reverse("grassroots:record-add", args=[units["own"].pk])
    page = client.get(url)
    assert page.status_code == 200 and 'type="date"' in page.text
    bad = client.post(
        url, {"item": duty_list.items.first().pk, "done_on": "2999-01-01", "what": "x"}
    )
    assert bad.status_code == 400
    good = client.post(
        url, {"item": duty_list.items.first().pk, "done_on": "2024-01-02", "what": "例会"}
    )
    assert good.status_code == 302
    assert DutyRecord.objects.filter(unit=units["own"]).count() == 1
    detail = client.get(reverse("grassroots:unit-detail", args=[units["own"].pk]))
    assert "例会" in detail.text
    # The colleague (another unit's lead) cannot see it; a leader sees it but does not record.
    client.force_login(people["colleague"])
    assert client.get(url).status_code == 404
    client.force_login(people["leader"])
    assert client.get(url).status_code == 403
