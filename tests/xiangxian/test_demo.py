"""``seed_demo``'s registry: the reported figures, counted from its rows."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from portal.models import Notification, TaggedItem, User
from xiangxian import selectors
from xiangxian.models import (
    Association,
    AssociationMembership,
    AssociationOfficer,
    Contribution,
    ContributionKind,
    Event,
    EventReminder,
    Invitation,
    Post,
    ProgrammeItem,
    ServiceRecord,
    Xiangxian,
)
from xiangxian.services.event_reminders import event_reminders_sweep

pytestmark = pytest.mark.django_db

MODELS = (
    Xiangxian,
    TaggedItem,
    Association,
    AssociationOfficer,
    AssociationMembership,
    ServiceRecord,
    Contribution,
    Event,
    ProgrammeItem,
    Invitation,
)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_reported_figures_come_from_the_rows(client):
    seed()
    admin, dispatcher = User.objects.get(username="admin"), User.objects.get(username="dispatcher")

    # 2,000+ medical xiangxian living outside the city, among thousands in every sector.
    people = Xiangxian.objects.current()
    medical_away = people.filter(sector__name="医卫", away=True).count()
    assert medical_away >= 2000
    assert people.count() >= 3000
    assert set(people.values_list("sector__name", flat=True)) >= {
        "医卫", "商界", "科教", "文化", "法律", "金融", "其他"
    }  # fmt: skip
    assert people.filter(abroad__gt="").exists()
    assert people.filter(away=False).exists()
    assert people.filter(hometown__code__startswith="3308").count() == people.count()
    assert people.filter(is_key=True).exists()
    with_phone = people.exclude(phone_hash="").first()
    assert with_phone is not None
    phone_field = Xiangxian._meta.get_field("phone")
    assert with_phone.phone.startswith("1")  # decrypted by the model
    found = Xiangxian.objects.filter(phone_field.blind_index_q(with_phone.phone))
    assert list(found) == [with_phone]  # its blind index was computed

    # The association, founded 2023-11-26, an academician its current president.
    association = Association.objects.get(name="寓外名医联谊会")
    assert association.founded_on.isoformat() == "2023-11-26"
    president = association.officers.get(post=Post.PRESIDENT, term_end__isnull=True).xiangxian
    assert "院士" in president.honours
    assert president.pk in {
        int(pk)
        for pk in TaggedItem.objects.filter(tag__name="院士").values_list("object_id", flat=True)
    }
    assert association.memberships.count() >= 300
    assert association.officers.count() > 5

    # The services add up exactly to 53.19亿元 of loans and 62万元 of discounts.
    figures = {row["kind"]: row for row in selectors.service_figures(admin)}
    assert figures["finance"]["value_yuan"] == Decimal(5_319_000_000)
    assert figures["finance"]["count"] > 100
    assert figures["business"]["value_yuan"] + figures["travel"]["value_yuan"] == 620_000
    assert (
        ServiceRecord.objects.filter(kind__code="finance").values("xiangxian").distinct().count()
        > 100
    )

    # The pomelo guarantee and the mushroom model.
    pomelo = Contribution.objects.get(kind=ContributionKind.PURCHASE, unit="吨")
    assert (pomelo.quantity, pomelo.income_added_yuan) == (5000, 5_000_000)
    mushroom = Contribution.objects.get(collective_income_yuan=308_000)
    assert mushroom.kind in (ContributionKind.FUND, ContributionKind.INVESTMENT)
    assert Contribution.objects.count() > 2

    # A few hundred past events, one conference with 1,000 invitations.
    events = Event.objects.all()
    assert events.count() >= 300
    assert not events.filter(starts_at__gte=timezone.now()).exists()
    assert {kind for (kind,) in events.values_list("kind").distinct()} == {
        "conference", "visit", "forum"
    }  # fmt: skip
    big = events.annotate(n=Count("invitations")).get(n=1000)
    assert big.kind == "conference"
    statuses = set(big.invitations.values_list("status", flat=True))
    assert {"accepted", "declined"} <= statuses
    assert big.invitations.filter(checked_in_at__isnull=False).exists()
    assert big.programme.exists()
    assert ProgrammeItem.objects.values("event").distinct().count() > 50

    # The API, as the demo dispatcher, agrees with the rows.
    client.force_login(dispatcher)
    body = client.get("/api/v1/xiangxian/stats/").json()
    assert body["total"] == people.count()
    assert body["away"] == people.filter(away=True).count()
    by_sector = {row["label"]: row["count"] for row in body["by_sector"]}
    assert by_sector["医卫"] == people.filter(sector__name="医卫").count()
    services = {row["kind"]: row for row in body["services"]}
    assert services["finance"]["value_yuan"] == 5_319_000_000
    assert services["business"]["value_yuan"] + services["travel"]["value_yuan"] == 620_000
    assert (
        services["finance"]["count"] == ServiceRecord.objects.filter(kind__code="finance").count()
    )
    loans = ServiceRecord.objects.filter(kind__code="finance").aggregate(s=Sum("value_yuan"))["s"]
    assert loans == Decimal(5_319_000_000)
    # The event's page reads its counts from the same rows (the events API is not built yet).
    figures = selectors.event_counts(big)
    assert figures["invited"] == 1000 and figures["waitlisted"] == 0
    assert figures["accepted"] + figures["declined"] < 1000  # some never answered
    assert 0 < figures["checked_in"] < figures["accepted"]


def test_a_second_run_creates_nothing_and_nobody_is_notified_or_reminded():
    seed()
    before = counts()
    assert not Notification.objects.filter(kind__startswith="xiangxian.").exists()
    assert event_reminders_sweep() == 0
    assert not EventReminder.objects.exists()
    seed()
    assert counts() == before
    assert not Notification.objects.filter(kind__startswith="xiangxian.").exists()
