"""``seed_bench``: bulk appeals that obey the models' rules and the loop's order of steps."""

import datetime as dt
import io
import re
import zoneinfo
from collections import Counter
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from enterprises import services
from enterprises.models import (
    Appeal,
    AppealCounter,
    AppealEvent,
    Assignment,
    CoHandling,
    Enterprise,
    Extension,
    InfoRequest,
    Membership,
)
from enterprises.models.appeals import ROUTED
from portal.models import User
from portal.validators import validate_uscc
from tests.factories import category

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 15, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", new=lambda: NOW):
        yield NOW


def bench(appeals: int = 500, seed: int = 7, **options) -> str:
    out = io.StringIO()
    call_command("seed_bench", appeals=appeals, seed=seed, force=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def seeded(frozen):
    return bench(batch=120)  # several batches, the last one short


def test_exactly_n_appeals_with_unique_numbers_and_counters_moved_on(seeded):
    assert Appeal.objects.count() == 500
    numbers = list(Appeal.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 500
    assert all(re.fullmatch(r"QH-20\d\d-\d{6}", n) for n in numbers)
    last = Counter()
    for number in numbers:
        year, serial = number[3:7], int(number[8:])
        last[int(year)] = max(last[int(year)], serial)
    assert dict(AppealCounter.objects.values_list("year", "last")) == dict(last)
    assert "500 appeals" in seeded and "rows/s" in seeded


def test_rows_pass_model_validation(seeded):
    for appeal in Appeal.objects.all():
        appeal.full_clean()
    for model in (Assignment, CoHandling, InfoRequest, Extension):
        for row in model.objects.all():
            row.full_clean()
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)


def test_a_realistic_mix(seeded):
    statuses = Counter(Appeal.objects.values_list("status", flat=True))
    assert statuses["closed"] > 300
    assert statuses["rejected"] > 5
    assert len(statuses) >= 5
    assert Counter(Appeal.objects.values_list("source", flat=True)).keys() == {
        "platform",
        "hotline",
        "session",
        "visit",
    }
    assert Appeal.objects.values("category").distinct().count() >= 6
    assert Appeal.objects.values("lead_department").distinct().count() >= 6
    counties = {
        code[:6] for code in Appeal.objects.values_list("enterprise__region__code", flat=True)
    }
    assert len(counties) >= 5 and all(code.startswith("3308") for code in counties)
    years = {d.year for d in Appeal.objects.dates("submitted_at", "year")}
    assert {2024, 2025, 2026} <= years
    assert Appeal.objects.filter(submitted_at__lt=NOW - dt.timedelta(days=2 * 365)).exists()
    assert Appeal.objects.filter(close_reason="auto").exists()
    assert Appeal.objects.filter(close_reason="merged", merged_into__isnull=False).exists()
    assert Appeal.objects.filter(rehandle_count__gt=0).exists()
    assert Appeal.objects.filter(is_supervised=True).exists()
    assert Appeal.objects.exclude(callback_rating="").exists()
    assert Extension.objects.filter(status="approved").exists()
    assert InfoRequest.objects.filter(stopped_days__gt=0).exists()
    assert Assignment.objects.filter(returned_at__isnull=False).exists()
    assert CoHandling.objects.filter(submitted_at__isnull=False).exists()
    assert Enterprise.objects.count() == 100  # N/10, at least 100
    assert Membership.objects.filter(status="verified").count() == 100


def test_states_match_their_timelines(seeded):
    events = {}
    for event in AppealEvent.objects.order_by("appeal_id", "at", "id"):
        events.setdefault(event.appeal_id, []).append(event)
    for appeal in Appeal.objects.all():
        timeline = events[appeal.pk]
        assert timeline[0].action == "submit"
        assert timeline[0].at == appeal.submitted_at
        for before, after in zip(timeline, timeline[1:], strict=False):
            assert after.from_status == before.to_status, appeal.number
        assert timeline[-1].to_status == appeal.status
        assert timeline[-1].at <= NOW
        actions = Counter(e.action for e in timeline)
        assert appeal.reply_count == actions["reply"]
        ratings = [e.data["rating"] for e in timeline if e.action == "rate"]
        assert appeal.rehandle_count == ratings.count("dissatisfied")
        if appeal.status in ROUTED:
            assert appeal.lead_department_id and appeal.due_date
            assignment = appeal.current_assignment
            assert assignment.appeal_id == appeal.pk
            assert assignment.department_id == appeal.lead_department_id
            assert assignment.returned_at is None
        if appeal.status == "closed":
            assert appeal.closed_at is not None
        open_question = InfoRequest.objects.filter(appeal=appeal, ended_at__isnull=True)
        assert appeal.awaiting_info == open_question.exists()
    assert not Extension.objects.filter(status="pending").exclude(
        appeal__status__in=["assigned", "in_progress"]
    )


def test_a_later_submission_gets_a_fresh_number(seeded):
    user = User.objects.filter(role="entrepreneur", username__startswith="bench-ent-").first()
    enterprise = Membership.objects.get(user=user).enterprise
    appeal = services.appeal_submit(
        actor=user,
        enterprise=enterprise,
        title="新的诉求",
        content="压测数据之后提交的新诉求。",
        category=category(),
    )
    year_last = Appeal.objects.filter(number__startswith="QH-2026-").exclude(pk=appeal.pk)
    assert appeal.number not in set(year_last.values_list("number", flat=True))
    assert (
        int(appeal.number[8:])
        == max(int(n[8:]) for n in year_last.values_list("number", flat=True)) + 1
    )
    assert appeal.pk > max(Appeal.objects.exclude(pk=appeal.pk).values_list("pk", flat=True))


def _snapshot():
    return list(
        Appeal.objects.order_by("number").values_list(
            "number", "enterprise__uscc", "title", "status", "submitted_at", "due_date", "rating"
        )
    ), list(AppealEvent.objects.order_by("id").values_list("action", "at", "to_status"))


def test_the_same_seed_writes_the_same_data(frozen):
    runs = []
    for seed in (3, 3, 4):
        with transaction.atomic():
            bench(appeals=300, seed=seed, batch=100)
            runs.append(_snapshot())
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_a_second_run_adds_to_the_first(frozen):
    bench(appeals=200, seed=1)
    bench(appeals=200, seed=1)
    assert Appeal.objects.count() == 400
    assert Appeal.objects.values("number").distinct().count() == 400
    assert Enterprise.objects.count() == 200
    assert User.objects.filter(username__startswith="bench-dispatcher-").count() == 4


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_bench", appeals=10, stdout=io.StringIO())
    assert not Appeal.objects.exists()
    settings.DEBUG = True
    call_command("seed_bench", appeals=10, stdout=io.StringIO())
    assert Appeal.objects.count() == 10


@pytest.mark.parametrize("options", [{"appeals": 0}, {"appeals": -5}, {"appeals": 10, "batch": 0}])
def test_bad_arguments_are_refused(options):
    with pytest.raises(CommandError):
        call_command("seed_bench", force=True, stdout=io.StringIO(), **options)
    assert not Appeal.objects.exists()
