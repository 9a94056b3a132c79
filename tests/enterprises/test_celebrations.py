"""Light-up days (企业亮灯日): requests by staff or the enterprise, the text, image, dates and
screens they are checked for, the per-screen per-day capacity (with the full day named), and
decisions on record."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from enterprises.models import Celebration, Screen
from enterprises.services import celebrations as services
from portal.exceptions import Conflict
from portal.models import Notification
from tests.enterprises.sessions_setup import member
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MONDAY = dt.date(2026, 11, 2)  # the clock fixture's today


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELEBRATIONS_PER_SCREEN_PER_DAY = 2


@pytest.fixture
def cast(db, clock):
    a, b = EnterpriseFactory(name="一道新能源科技股份有限公司"), EnterpriseFactory()
    return SimpleNamespace(
        a=a,
        b=b,
        owner=member(a),
        colleague=member(a),
        outsider=member(b),
        dispatcher=UserFactory(role="dispatcher"),
        leader=UserFactory(role="leader"),
        handler=UserFactory(role="handler", department=DepartmentFactory()),
        hall=Screen.objects.create(name="市行政中心大屏", slug="city-hall", location="市行政中心"),
        airport=Screen.objects.create(name="衢州机场大屏", slug="airport", location="衢州机场"),
        station=Screen.objects.create(
            name="衢州西站大屏", slug="quzhou-west", location="衢州西站", orientation="portrait"
        ),
    )


def ask(cast, actor=None, **overrides):
    arguments = {
        "actor": actor or cast.owner,
        "enterprise": cast.a,
        "kind": "listing",
        "screen_text": "热烈祝贺一道新能源成功上市",
        "starts_on": MONDAY + dt.timedelta(days=3),
        "ends_on": MONDAY + dt.timedelta(days=4),
        "screens": [cast.hall],
        **overrides,
    }
    return services.celebration_request(**arguments)


def approved(cast, **overrides):
    return services.celebration_approve(celebration=ask(cast, **overrides), actor=cast.leader)


# --- requests -------------------------------------------------------------------------------


def test_the_enterprise_asks_and_the_deciders_are_told(cast):
    celebration = ask(cast, screens=[cast.hall, cast.airport])
    assert celebration.status == "requested" and celebration.requested_by == cast.owner
    assert set(celebration.screens.all()) == {cast.hall, cast.airport}
    told = set(
        Notification.objects.filter(kind="enterprises.celebration_requested").values_list(
            "recipient", flat=True
        )
    )
    assert told == {cast.dispatcher.pk, cast.leader.pk}


def test_staff_ask_for_any_enterprise_an_entrepreneur_only_for_their_own(cast):
    assert ask(cast, actor=cast.dispatcher, enterprise=cast.b).enterprise == cast.b
    with pytest.raises(ValidationError) as caught:
        ask(cast, actor=cast.outsider)  # enterprise a is not theirs
    assert "enterprise" in caught.value.message_dict
    for actor in (cast.handler, cast.leader):
        with pytest.raises(PermissionDenied):
            ask(cast, actor=actor)
    assert Celebration.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"screen_text": "短"}, "screen_text"),
        ({"screen_text": "祝" * 61}, "screen_text"),
        ({"kind": "birthday"}, "kind"),
        ({"starts_on": MONDAY - dt.timedelta(days=1)}, "starts_on"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": MONDAY + dt.timedelta(days=1)}, "ends_on"),  # before the first day
        ({"ends_on": MONDAY + dt.timedelta(days=17)}, "ends_on"),  # 15 days
        ({"screens": []}, "screens"),
        ({"screens": [999999]}, "screens"),
        ({"image": SimpleUploadedFile("logo.png", b"GIF89a not a png")}, "image"),
        ({"image": SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n%%EOF\n")}, "image"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(cast, overrides, field):
    with pytest.raises(ValidationError) as caught:
        ask(cast, **overrides)
    assert field in caught.value.message_dict
    assert not Celebration.objects.exists()


def test_an_inactive_screen_cannot_be_chosen(cast):
    Screen.objects.filter(pk=cast.station.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        ask(cast, screens=[cast.station])


def test_the_text_is_one_line_and_its_length_is_checked_in_the_database_too(cast):
    celebration = ask(cast, screen_text="  热烈祝贺\n一道新能源   成功上市 ")
    assert celebration.screen_text == "热烈祝贺 一道新能源 成功上市"
    with pytest.raises(IntegrityError), transaction.atomic():
        Celebration.objects.filter(pk=celebration.pk).update(screen_text="短")


def test_an_image_is_checked_by_its_content_and_kept(cast):
    celebration = ask(cast, image=SimpleUploadedFile("logo.png", PNG, content_type="image/png"))
    assert celebration.image_type == "image/png"
    with celebration.image.open("rb") as handle:
        assert handle.read() == PNG
    assert celebration.image.name.endswith(celebration.image_token)


# --- capacity -------------------------------------------------------------------------------


def test_a_request_is_told_which_day_is_full(cast):
    thursday = MONDAY + dt.timedelta(days=3)
    approved(cast, starts_on=thursday, ends_on=thursday)
    approved(cast, screen_text="祝贺一道新能源投产", starts_on=thursday, ends_on=thursday)
    with pytest.raises(ValidationError) as caught:
        ask(cast, starts_on=MONDAY + dt.timedelta(days=2), ends_on=thursday + dt.timedelta(days=1))
    (message,) = caught.value.message_dict["screens"]
    assert "市行政中心大屏" in message and "2026-11-05" in message
    # Another screen, or other days, are free.
    ask(cast, screens=[cast.airport], starts_on=thursday, ends_on=thursday)
    ask(cast, starts_on=thursday + dt.timedelta(days=1), ends_on=thursday + dt.timedelta(days=1))


def test_approval_counts_again_and_names_the_full_day(cast):
    thursday = MONDAY + dt.timedelta(days=3)
    waiting = [ask(cast, screen_text=f"祝贺第{n}件喜事", starts_on=thursday) for n in range(3)]
    services.celebration_approve(celebration=waiting[0], actor=cast.leader)
    services.celebration_approve(celebration=waiting[1], actor=cast.dispatcher)
    with pytest.raises(Conflict) as caught:
        services.celebration_approve(celebration=waiting[2], actor=cast.leader)
    assert "2026-11-05" in str(caught.value) and "市行政中心大屏" in str(caught.value)
    waiting[2].refresh_from_db()
    assert waiting[2].status == "requested" and waiting[2].decided_by is None


def test_the_capacity_is_a_setting(cast, settings):
    settings.CELEBRATIONS_PER_SCREEN_PER_DAY = 1
    approved(cast)
    with pytest.raises(ValidationError):
        ask(cast, screen_text="第二件喜事")


# --- decisions ------------------------------------------------------------------------------


def test_a_decision_is_on_record_and_the_enterprise_is_told(cast, clock):
    celebration = ask(cast)
    services.celebration_approve(celebration=celebration, actor=cast.leader, note="同意")
    celebration.refresh_from_db()
    assert (celebration.status, celebration.decided_by, celebration.decision_note) == (
        "approved",
        cast.leader,
        "同意",
    )
    assert celebration.decided_at == clock.now
    told = set(
        Notification.objects.filter(kind="enterprises.celebration_decided").values_list(
            "recipient", flat=True
        )
    )
    assert told == {cast.owner.pk, cast.colleague.pk}
    with pytest.raises(Conflict):  # decided already
        services.celebration_decline(celebration=celebration, actor=cast.dispatcher, reason="迟了")


def test_declining_needs_a_reason_and_only_deciders_decide(cast):
    celebration = ask(cast)
    with pytest.raises(ValidationError) as caught:
        services.celebration_decline(celebration=celebration, actor=cast.dispatcher, reason=" ")
    assert "reason" in caught.value.message_dict
    for actor in (cast.owner, cast.handler):
        with pytest.raises(PermissionDenied):
            services.celebration_approve(celebration=celebration, actor=actor)
    services.celebration_decline(
        celebration=celebration, actor=cast.dispatcher, reason="当日大屏另有安排"
    )
    celebration.refresh_from_db()
    assert celebration.status == "declined" and celebration.decision_note == "当日大屏另有安排"


def test_the_database_keeps_decisions_on_record(cast):
    celebration = ask(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Celebration.objects.filter(pk=celebration.pk).update(status="approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Celebration.objects.filter(pk=celebration.pk).update(
            status="declined", decided_by=cast.leader, decided_at=celebration.requested_at
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Celebration.objects.filter(pk=celebration.pk).update(ends_on=MONDAY)


def test_a_celebration_whose_days_are_over_cannot_be_approved(cast, clock):
    celebration = ask(cast)
    clock.set(MONDAY + dt.timedelta(days=7))
    with pytest.raises(Conflict):
        services.celebration_approve(celebration=celebration, actor=cast.leader)


def test_scoping_owner_colleague_outsider(cast):
    mine = ask(cast)
    other = ask(cast, actor=cast.dispatcher, enterprise=cast.b)
    services.celebration_approve(celebration=other, actor=cast.leader)
    assert set(Celebration.objects.visible_to(cast.owner)) == {mine}
    assert set(Celebration.objects.visible_to(cast.colleague)) == {mine}
    assert set(Celebration.objects.visible_to(cast.outsider)) == {other}
    assert set(Celebration.objects.visible_to(cast.dispatcher)) == {mine, other}
    assert set(Celebration.objects.visible_to(cast.handler)) == {other}  # approved: public


@pytest.mark.parametrize("value", ["three", "0"])
def test_a_malformed_capacity_stops_start_up_naming_the_variable(value):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELEBRATIONS_PER_SCREEN_PER_DAY": value,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "CELEBRATIONS_PER_SCREEN_PER_DAY" in result.stderr
