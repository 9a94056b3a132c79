"""The figures' roll-up: it is read where it holds a day, a step on an appeal makes the day live
at once, a rebuild never loses a change made while it runs, and it counts what the appeals
count (see also ``test_stats_figures``, which runs every figure built, live and mixed)."""

import datetime as dt
import io
import statistics
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises import services
from enterprises.filters import StatsFilterForm
from enterprises.models import Appeal, AppealStatsDay, AppealStatsMark, AppealStatsRollup
from enterprises.selectors import stats
from enterprises.selectors.stats.sources import Plan
from enterprises.services import stats as rollup
from enterprises.tasks import rebuild_figures, refresh_figures
from tests.enterprises import stats_scenario as sc
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def scenario(clock, entrepreneur, dispatcher, handler, other_handler):
    built = sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )
    sc.settle("built")
    return built


def figures(user, group_by=None, **params):
    form = StatsFilterForm({**sc.PERIOD, **params}, user=user)
    assert form.is_valid(), form.errors
    return stats.appeal_stats(user, form.filters(), group_by, today=sc.TODAY)


def marked_days() -> set[dt.date]:
    return set(AppealStatsMark.objects.values_list("day", flat=True))


def _list_count(client, params: dict) -> int:
    response = client.get(f"/appeals/?{urlencode(params)}")
    assert response.status_code == 200
    return response.context["page"].paginator.count


# --- the roll-up is what is read ----------------------------------------------------------------


def test_built_days_are_read_from_the_roll_up_whole_months_from_month_rows(scenario):
    plan = Plan.for_period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    assert plan.months == (dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert plan.days == () and plan.live == ()
    plan = Plan.for_period(dt.date(2026, 10, 15), dt.date(2026, 12, 31))
    # October in part from its day rows, November whole; December was never built: live.
    assert plan.months == (dt.date(2026, 11, 1),)
    assert plan.days == ((dt.date(2026, 10, 15), dt.date(2026, 10, 31)),)
    assert plan.live == ((dt.date(2026, 12, 1), dt.date(2026, 12, 31)),)
    assert Plan.for_period(None, None).live == (
        (None, dt.date(2026, 9, 30)),
        (dt.date(2026, 12, 1), None),
    )
    month = AppealStatsRollup.objects.filter(whole_month=True, day=dt.date(2026, 11, 1))
    assert sum(month.values_list("accepted", flat=True)) == 11


def test_a_change_without_a_mark_is_not_seen_so_the_figures_do_read_the_roll_up(scenario, leader):
    """(What an appeal step must never do: it always marks its day.)"""
    Appeal.objects.filter(pk=scenario.appeals["a1"].pk).update(rating="")
    assert figures(leader).total.counts["rated"] == 6  # the roll-up's count, stale
    rollup.mark_days([dt.date(2026, 11, 2)])
    assert figures(leader).total.counts["rated"] == 5  # the day is counted live


def test_a_step_marks_its_day_and_the_figure_changes_at_once(
    scenario, leader, client, other_handler, entrepreneur
):
    client.force_login(leader)
    assert marked_days() == set()
    a14 = scenario.appeals["a14"]  # accepted 11-09, dissatisfied and back in progress
    services.appeal_reply(appeal=a14, actor=other_handler, content="再次答复。")
    services.appeal_rate(appeal=a14, actor=entrepreneur, rating="satisfied")
    assert marked_days() == {dt.date(2026, 11, 9)}
    result = figures(leader, "department")
    closed = result.total.counts["closed"]
    assert closed == sc.EXPECTED_TOTAL["closed"] + 1
    assert result.total.counts["overdue_open"] == sc.EXPECTED_TOTAL["overdue_open"] - 1
    params = stats.figure_link_params(leader, result, None, "closed")
    assert _list_count(client, params) == closed

    assert refresh_figures() == 1
    assert marked_days() == set()
    assert Plan.for_period(dt.date(2026, 11, 9), dt.date(2026, 11, 9)).live == ()
    again = figures(leader, "department")
    assert again.as_dict() == result.as_dict()
    assert _list_count(client, params) == again.total.counts["closed"]


def test_a_day_marked_while_the_rebuild_runs_stays_marked(scenario, leader, handler, monkeypatch):
    """A step committed after the rebuild read the appeals, before it cleared the marks: its
    change is not in the roll-up, so its day must stay live."""
    a7 = scenario.appeals["a7"]  # accepted 11-06, in progress at A, overdue
    rollup.mark_days([dt.date(2026, 11, 6)])
    original = rollup._rebuild_days

    def rebuild_then_step(days):
        written = original(days)
        services.appeal_reply(appeal=a7, actor=handler, content="答复如下。")
        return written

    monkeypatch.setattr(rollup, "_rebuild_days", rebuild_then_step)
    assert rollup.refresh().days == 1
    assert marked_days() == {dt.date(2026, 11, 6)}
    total = figures(leader).total.counts
    assert total["replied"] == sc.EXPECTED_TOTAL["replied"] + 1
    assert total["overdue_open"] == sc.EXPECTED_TOTAL["overdue_open"] - 1
    monkeypatch.setattr(rollup, "_rebuild_days", original)
    rollup.refresh()
    assert marked_days() == set()
    assert figures(leader).total.counts == total


@pytest.mark.parametrize("refreshed", [False, True])
def test_an_appeal_signed_once_and_now_unsigned_again_counts_once(
    scenario, clock, leader, client, handler, other_handler, dispatcher, refreshed
):
    """Sign-for is due for a routing once signed, or unsigned past its day: an appeal with one of
    each counts once behind the number, whether that routing went to the same department (a14,
    B to B) or another (a7, A to B) — the settled one from the roll-up, the other live."""
    a7, a14 = scenario.appeals["a7"], scenario.appeals["a14"]
    later = dt.date(2026, 12, 10)
    services.appeal_return(appeal=a7, actor=handler, reason="应由B部门办理。")
    services.appeal_assign(appeal=a7, actor=dispatcher, department=scenario.b, due_date=later)
    services.appeal_return(appeal=a14, actor=other_handler, reason="需重新分派。")
    services.appeal_assign(appeal=a14, actor=dispatcher, department=scenario.b, due_date=later)
    if refreshed:
        rollup.refresh()
    clock.set(dt.date(2026, 12, 2))  # both new routings are now unsigned past their day
    client.force_login(leader)
    result = stats.appeal_stats(
        leader, stats.StatsFilters(dt.date(2026, 11, 2), dt.date(2026, 11, 13)), "department"
    )
    rows = {r.key: r for r in result.rows}
    assert result.total.counts["sign_due"] == sc.EXPECTED_TOTAL["sign_due"] + 2
    assert result.total.counts["sign_due_appeals"] == 8
    assert rows[scenario.b.pk].counts["sign_due_appeals"] == 4  # a5, a6, a7 and a14 once
    for row in (None, rows[scenario.a.pk], rows[scenario.b.pk]):
        params = stats.figure_link_params(leader, result, row, "sign_due")
        number = (row or result.total).counts["sign_due_appeals"]
        assert _list_count(client, params) == number, row and row.label


def test_every_other_day_marked_over_two_years(scenario, leader):
    """Hundreds of runs of days from the roll-up and from the appeals in one read, and a refresh
    of hundreds of days, a month per statement."""
    first = dt.date(2024, 12, 1)
    rollup.rebuild(first, dt.date(2026, 11, 30))
    rollup.mark_days(first + dt.timedelta(days=n) for n in range(0, 730, 2))
    wide = {"from": first.isoformat(), "to": "2026-11-30"}
    marked = figures(leader, "month", **wide).as_dict()
    assert marked["total"]["accepted"] == 12
    assert rollup.refresh().days == 365
    assert figures(leader, "month", **wide).as_dict() == marked
    total = figures(leader).total.counts
    assert {k: total[k] for k in ("accepted", "closed", "sign_due")} == {
        k: sc.EXPECTED_TOTAL[k] for k in ("accepted", "closed", "sign_due")
    }


def test_rebuilding_twice_writes_the_same_rows(scenario):
    before = sorted(
        AppealStatsRollup.objects.values_list("day", "whole_month", "accepted", "assignments")
    )
    rollup.rebuild(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    after = sorted(
        AppealStatsRollup.objects.values_list("day", "whole_month", "accepted", "assignments")
    )
    assert before == after
    assert AppealStatsDay.objects.count() == 61


# --- the same figures from the roll-up and from the appeals -----------------------------------


NOW = dt.datetime(2026, 11, 20, 15, 30, tzinfo=SHANGHAI)


def _every_cut(people):
    """(label, user, filters, grouping) over every grouping, a period with ragged edges and
    one of whole months, a department's head and a category."""
    from enterprises.models import AppealCategory

    leader, head = people
    category = AppealCategory.objects.order_by("pk").first()
    periods = [
        {},
        {"date_from": dt.date(2025, 12, 17), "date_to": dt.date(2026, 11, 20)},
        {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 8, 31)},
    ]
    for period in periods:
        for group_by in [None, *stats.GROUPINGS]:
            yield "leader", leader, stats.StatsFilters(**period), group_by
        yield "head", head, stats.StatsFilters(**period), "category"
        yield "category", leader, stats.StatsFilters(category=category, **period), "department"


def first_day_of_acceptance() -> dt.date:
    first = Appeal.objects.exclude(accepted_at=None).order_by("accepted_at").first()
    return first.accepted_at.astimezone(SHANGHAI).date()


def test_the_roll_up_counts_what_the_appeals_count_on_a_seed_bench_mix():
    with mock.patch("django.utils.timezone.now", new=lambda: NOW):
        call_command("seed_bench", appeals=1500, seed=5, force=True, stdout=io.StringIO())
        leader = UserFactory(role="leader")
        department = Appeal.objects.exclude(lead_department=None).values_list(
            "lead_department_id", flat=True
        )[0]
        head = UserFactory(role="department_head", department_id=department)
        today = NOW.date()
        assert not AppealStatsMark.objects.exists()  # seed_bench rebuilt everything
        assert Plan.for_period(dt.date(2026, 3, 1), dt.date(2026, 8, 31)).months
        built = [
            stats.appeal_stats(user, filters, group_by, today=today).as_dict()
            for _label, user, filters, group_by in _every_cut((leader, head))
        ]
        first = first_day_of_acceptance()
        rollup.mark_days(first + dt.timedelta(days=n) for n in range((today - first).days + 1))
        live = [
            stats.appeal_stats(user, filters, group_by, today=today).as_dict()
            for _label, user, filters, group_by in _every_cut((leader, head))
        ]
    for cut, from_rollup, from_appeals in zip(_every_cut((leader, head)), built, live, strict=True):
        assert from_rollup == from_appeals, cut[0::2]
    total = built[0]["total"]
    assert total["accepted"] > 1000 and total["assignments_appeals"] < total["assignments"]
    # The histogram's median and mean are those of the stored handling times.
    handled = list(
        Appeal.objects.filter(stats.counted_q(), status="closed").values_list(
            "handling_days", flat=True
        )
    )
    assert total["median_handling_days"] == round(float(statistics.median(handled)), 2)
    assert total["avg_handling_days"] == round(statistics.mean(handled), 2)


@pytest.mark.parametrize("mode", ["built", "live"])
def test_a_median_beyond_the_histogram_is_exact(
    clock, entrepreneur, dispatcher, handler, other_handler, leader, mode
):
    scenario = sc.build(
        clock,
        entrepreneur=entrepreneur,
        dispatcher=dispatcher,
        handler=handler,
        other_handler=other_handler,
    )
    long = {"a1": 3, "a2": 61, "a3": 75, "a4": 90, "a5": 59}  # A: a1–a4, B: a5
    for name, days in long.items():
        Appeal.objects.filter(pk=scenario.appeals[name].pk).update(handling_days=days)
    sc.settle(mode)
    result = figures(leader, "department")
    rows = {r.key: r for r in result.rows}
    assert result.total.median_handling_days == 61.0
    assert rows[scenario.a.pk].median_handling_days == (61 + 75) / 2
    assert rows[scenario.b.pk].median_handling_days == 59.0
    assert result.total.avg_handling_days == round(sum(long.values()) / 5, 2)


# --- queries ----------------------------------------------------------------------------------


def _api_queries(client) -> list[str]:
    client.get("/api/v1/stats/appeals/", {"group_by": "department"})
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/stats/appeals/", {"group_by": "department"})
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_queries_stay_flat_and_few_with_the_roll_up(client, dispatcher, entrepreneur, leader):
    from tests.enterprises.test_stats_pages import _grow

    client.force_login(leader)
    _grow(2, dispatcher, entrepreneur, leader)
    rollup.rebuild(first=timezone.localdate() - dt.timedelta(days=40))
    _grow(1, dispatcher, entrepreneur, leader)  # today is marked again: counted live
    small = _api_queries(client)
    _grow(17, dispatcher, entrepreneur, leader)
    large = _api_queries(client)
    assert len(small) == len(large) <= 10, "\n".join(large)
    assert any("appealstatsrollup" in sql for sql in large)
    body = client.get("/api/v1/stats/appeals/", {"group_by": "department"}).json()
    assert len(body["rows"]) == 20 and body["total"]["accepted"] == 20


# --- handling time, stored at closure -----------------------------------------------------------


def test_handling_days_stored_at_closure_are_the_working_days_of_the_old_sql(
    clock, entrepreneur, dispatcher, handler
):
    """Across the Mid-autumn and National Day holidays of 2026 and the make-up Saturday, with a
    clock stop; closed by a rating and by the auto-close; the old query's count (working days
    in SQL from the holiday table, less the stops) and the data migration's agree."""
    from importlib import import_module

    from django.apps import apps
    from django.db.models import F
    from django.db.models.functions import TruncDate

    from enterprises.models import Rating
    from portal.models import CalendarDay
    from portal.workdays import working_days_between
    from tests.factories import category

    def at(month, day, hour=10):
        return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)

    def appeal(accepted):
        clock.now = accepted
        made = services.appeal_submit(
            actor=entrepreneur,
            enterprise=entrepreneur.enterprise,
            title="国庆前后的诉求",
            content="跨越节假日办理。",
            category=category(),
        )
        made = services.appeal_accept(appeal=made, actor=dispatcher)
        made = services.appeal_assign(appeal=made, actor=dispatcher, department=handler.department)
        return services.appeal_sign(appeal=made, actor=handler)

    rated = appeal(at(9, 24))
    clock.now = at(10, 12)
    rated = services.appeal_reply(appeal=rated, actor=handler, content="已办理。")
    rated = services.appeal_rate(appeal=rated, actor=entrepreneur, rating=Rating.SATISFIED)

    stopped = appeal(at(9, 28))
    clock.now = at(9, 29)
    stopped = services.appeal_request_info(appeal=stopped, actor=handler, question="请补充。")
    clock.now = at(10, 9)
    stopped = services.appeal_provide_info(appeal=stopped, actor=entrepreneur, content="已补充。")
    clock.now = at(10, 13)
    stopped = services.appeal_reply(appeal=stopped, actor=handler, content="已办理。")
    clock.now = at(10, 30)
    assert services.close_unrated_replies() == 1

    kinds = set(
        CalendarDay.objects.filter(
            date__range=(dt.date(2026, 9, 24), dt.date(2026, 10, 13))
        ).values_list("kind", flat=True)
    )
    assert kinds == {"holiday", "workday"}  # holidays on weekdays, a make-up Saturday
    old_sql = stats.WorkingDaysBetween(
        TruncDate("accepted_at"),
        TruncDate("closed_at"),
        first=dt.date(2026, 1, 1),
        last=dt.date(2026, 12, 31),
    ) - F("stopped_days")
    closed = Appeal.objects.filter(pk__in=[rated.pk, stopped.pk]).order_by("pk")
    rows = list(closed.annotate(old=old_sql).values_list("handling_days", "old", "stopped_days"))
    assert rows[1][2] > 0  # the clock stood still
    for stored, old, _stopped in rows:
        assert stored == old
    assert rows[0][0] == working_days_between(dt.date(2026, 9, 24), dt.date(2026, 10, 12))

    closed.update(handling_days=None)
    migration = import_module("enterprises.migrations.0008_figures_rollup")
    migration.fill_handling_days(apps, SimpleNamespace(connection=connection))
    assert list(closed.values_list("handling_days", flat=True)) == [old for _s, old, _t in rows]
    closed.update(handling_days=None)
    assert rollup.recount_handling_days(missing_only=True) == 2
    assert [d for d, *_ in rows] == list(closed.values_list("handling_days", flat=True))


# --- dialogue sessions --------------------------------------------------------------------------


def test_figures_by_dialogue_session(clock, client):
    from enterprises.selectors.sessions import session_appeal_counts
    from tests.enterprises.sessions_setup import build_cast, hold, record_need
    from tests.factories import appeal_in

    cast = build_cast()
    hold(cast, clock)
    raised = [
        record_need(cast, cast.a, title=f"会上提出的诉求{n}", instruction="请经信局牵头。")
        for n in range(2)
    ]
    for need in raised:
        services.appeal_accept(appeal=need, actor=cast.dispatcher)
    services.appeal_assign(appeal=raised[0], actor=cast.dispatcher, department=cast.department)
    cast.owner.enterprise = cast.a
    other = appeal_in("accepted", entrepreneur=cast.owner, dispatcher=cast.dispatcher)
    rollup.rebuild(dt.date(2026, 11, 1), dt.date(2026, 11, 30))

    result = stats.appeal_stats(cast.leader, group_by="session")
    rows = {r.key: r for r in result.rows}
    assert list(rows) == [cast.session.pk, None]
    assert rows[cast.session.pk].label == str(cast.session)
    assert rows[cast.session.pk].counts["accepted"] == 2
    assert rows[None].counts["accepted"] == 1
    counts = session_appeal_counts()[cast.session.pk]
    assert (counts["accepted"], counts["closed"]) == (2, rows[cast.session.pk].counts["closed"])

    client.force_login(cast.leader)
    for row in result.rows:
        for figure in ("accepted", "assignments"):
            params = stats.figure_link_params(cast.leader, result, row, figure)
            assert _list_count(client, params) == row.counts[stats.appeals_behind(figure)]
    only = stats.appeal_stats(cast.leader, stats.StatsFilters(session=cast.session))
    assert only.total.counts["accepted"] == 2
    body = client.get(
        "/api/v1/stats/appeals/", {"group_by": "session", "session": cast.session.pk}
    ).json()
    assert [r["key"] for r in body["rows"]] == [cast.session.pk]
    assert client.get("/api/v1/stats/appeals/", {"session": "999999"}).status_code == 400
    page = client.get("/appeals/stats/", {"session": cast.session.pk})
    assert page.status_code == 200 and 'data-testid="table-session"' in page.content.decode()
    assert other.session_id is None


# --- the command and the tasks ------------------------------------------------------------------


def test_rebuild_stats_command(scenario):
    out = io.StringIO()
    rollup.mark_days([dt.date(2026, 11, 3)])
    call_command("rebuild_stats", "--marked", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("1 days rebuilt")
    Appeal.objects.filter(pk=scenario.appeals["a1"].pk).update(handling_days=None)
    out = io.StringIO()
    call_command("rebuild_stats", "--from", "2026-11-01", "--to", "2026-11-30", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "1 handling times counted"
    assert lines[-1].startswith("30 days rebuilt")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rebuild_stats", "--from", "November")
    with pytest.raises(CommandError, match="--marked"):
        call_command("rebuild_stats", "--marked", "--from", "2026-11-01")


def test_the_nightly_task_rebuilds_every_day_since_the_first_acceptance(scenario):
    AppealStatsDay.objects.all().delete()
    assert rebuild_figures() == (sc.TODAY - dt.date(2026, 10, 30)).days + 1
    assert Plan.for_period(dt.date(2026, 10, 30), sc.TODAY).live == ()


def test_a_rebuild_over_every_day_forgets_the_days_whose_appeals_are_gone(scenario, leader):
    rollup.rebuild()
    assert AppealStatsRollup.objects.exists()
    assert figures(leader).total.counts["accepted"] > 0
    # Appeals taken out of the figures behind the roll-up's back (a raw update; deleting is
    # refused by the timeline's append-only trigger on PostgreSQL): no step marks their days.
    Appeal.objects.update(accepted_at=None)
    rollup.rebuild()
    assert not AppealStatsRollup.objects.exists()
    assert figures(leader).total.counts["accepted"] == 0
