"""How fast are the figures on a big database, and how much memory does an export take?

    DATABASE_URL=postgres://… .venv/bin/python bench/dashboard.py [--calls 10] [--export-rows N]

For ``GET /api/v1/stats/appeals/`` grouped by department and by month over the last year
(through Django's test client: middleware, view, serializer), it prints the median and 90th
percentile of ``--calls`` requests and the number of SQL queries of one request, and, measured
in the same run on the same connection, the median of the same work written by hand in SQL:
the roll-up's queries (which days it holds, its sums, and the live counts of overdue appeals and
unsigned routings). Goals of issue 5: ≤ 300 ms median, ≤ 10 queries, within 2× of that SQL.
For comparison it also times the live aggregate over the appeals that the figures would need
without the roll-up (conditional counts, working days from the holiday table, the median).

Then it measures the API again with ``--marked-days`` days of the last month marked as changed
(as a busy minute leaves them before the Celery task rebuilds them), inside a transaction it
rolls back: those days are counted live.

Then it exports ``--export-rows`` appeals (default 10^5, the newest accepted ones) as .xlsx
through the list export view and prints the peak of Python's allocations (tracemalloc) and the
growth of the process's peak resident memory; goal ≤ 200 MB.

It reads the database only (seed it with ``manage.py seed_bench``, which builds the roll-up; after
migrating an older database run ``manage.py rebuild_stats``); the people are seed_bench's first
leader (or any leader). Requests run with ``DEBUG`` off.
"""

import argparse
import datetime as dt
import logging
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # django-axes logs every force_login

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprises.models import Appeal, AppealStatsDay, AppealStatsMark  # noqa: E402
from enterprises.models.stats import COUNT_COLUMNS  # noqa: E402
from enterprises.selectors.stats.sources import Plan  # noqa: E402
from portal.models import Role, User  # noqa: E402

GOAL_MS, GOAL_QUERIES, GOAL_RATIO, GOAL_EXPORT_MB = 300.0, 10, 2.0, 200.0

# The figures without the roll-up: the live aggregate over a year of appeals, by hand.
CUMULATIVE = """(SELECT array_agg(n ORDER BY d) FROM (SELECT g.d, SUM(CASE WHEN
  COALESCE(c.kind = 'workday', EXTRACT(ISODOW FROM g.d) < 6) THEN 1 ELSE 0 END)
  OVER (ORDER BY g.d)::int AS n FROM generate_series(%(first)s::date, %(last)s::date,
  interval '1 day') AS g(d) LEFT JOIN portal_calendarday c ON c.date = g.d) w)"""
LOCAL = "(({col} AT TIME ZONE 'Asia/Shanghai')::date)"
HANDLING = (
    f"CASE WHEN a.status = 'closed' THEN {CUMULATIVE}[{LOCAL.format(col='a.closed_at')}"
    f" - %(first)s::date + 1] - {CUMULATIVE}[{LOCAL.format(col='a.accepted_at')}"
    " - %(first)s::date + 1] - a.stopped_days END"
)
ON_TIME = f"{LOCAL.format(col='a.replied_at')} <= a.due_date"
APPEALS_SQL = f"""
SELECT {{key}} AS key, COUNT(*) AS accepted,
  COUNT(*) FILTER (WHERE a.status = 'closed') AS closed,
  COUNT(*) FILTER (WHERE a.status = 'closed' AND {ON_TIME}) AS closed_on_time,
  COUNT(*) FILTER (WHERE a.status = 'closed' AND {ON_TIME} AND a.extended
    AND {LOCAL.format(col="a.replied_at")} > a.original_due_date) AS closed_on_time_extended,
  COUNT(*) FILTER (WHERE a.status = 'closed'
    AND {LOCAL.format(col="a.replied_at")} > a.due_date) AS closed_late,
  COUNT(*) FILTER (WHERE a.rating <> '') AS rated,
  COUNT(*) FILTER (WHERE a.rating IN ('satisfied', 'basically_satisfied')) AS satisfied,
  COUNT(*) FILTER (WHERE a.callback_rating <> '') AS callbacks,
  COUNT(*) FILTER (WHERE a.callback_rating IN ('satisfied', 'basically_satisfied'))
    AS callback_satisfied,
  COUNT(*) FILTER (WHERE a.reply_count >= 1) AS replied,
  COUNT(*) FILTER (WHERE a.rehandle_count >= 1) AS rehandled,
  COUNT(*) FILTER (WHERE a.status IN ('accepted', 'assigned', 'in_progress')
    AND a.due_date < %(today)s) AS overdue_open,
  AVG({HANDLING}) AS avg_handling,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {HANDLING}) AS median_handling
FROM enterprises_appeal a
WHERE a.accepted_at >= %(start)s AND a.accepted_at < %(end)s AND a.merged_into_id IS NULL
GROUP BY 1
"""
ASSIGNMENTS_SQL = """
SELECT {key} AS key, COUNT(*) AS assignments, COUNT(DISTINCT s.appeal_id) AS appeals,
  COUNT(*) FILTER (WHERE s.signed_at IS NOT NULL
    OR (s.returned_at IS NULL AND s.sign_due_date < %(today)s)
    OR (s.signed_at IS NULL
      AND (s.returned_at AT TIME ZONE 'Asia/Shanghai')::date > s.sign_due_date)) AS sign_due,
  COUNT(*) FILTER (WHERE (s.signed_at AT TIME ZONE 'Asia/Shanghai')::date <= s.sign_due_date)
    AS signed_in_time,
  COUNT(*) FILTER (WHERE s.is_dispute) AS disputed
FROM enterprises_assignment s JOIN enterprises_appeal a ON a.id = s.appeal_id
WHERE a.accepted_at >= %(start)s AND a.accepted_at < %(end)s AND a.merged_into_id IS NULL
GROUP BY 1
"""
KEYS = {
    "department": ("a.lead_department_id", "s.department_id", "r.department_id"),
    "month": (
        "date_trunc('month', a.accepted_at AT TIME ZONE 'Asia/Shanghai')",
        "date_trunc('month', a.accepted_at AT TIME ZONE 'Asia/Shanghai')",
        "date_trunc('month', r.day)",
    ),
}

# The figures as the roll-up serves them (enterprises.selectors.stats.sources), by hand: which
# days it holds, its sums (whole months from month rows, the rest from day rows), and what
# changes with the date, counted live through partial indexes.
BUILT_DAYS_SQL = """
SELECT d.day, EXISTS (SELECT 1 FROM enterprises_appealstatsmark m WHERE m.day = d.day)
FROM enterprises_appealstatsday d WHERE d.day >= %(first)s AND d.day <= %(to)s
"""
ROLLUP_SQL = (
    "SELECT {key} AS key, "
    + ", ".join(f"SUM(r.{name})" for name in COUNT_COLUMNS)
    + """ FROM enterprises_appealstatsrollup r
WHERE (r.whole_month AND r.day = ANY(%(months)s))
   OR (NOT r.whole_month AND r.day = ANY(%(days)s))
GROUP BY 1"""
)
OVERDUE_SQL = """
SELECT {key} AS key, COUNT(*) FROM enterprises_appeal a
WHERE a.accepted_at >= %(start)s AND a.accepted_at < %(end)s AND a.merged_into_id IS NULL
  AND a.status IN ('accepted', 'assigned', 'in_progress') AND a.due_date < %(today)s
GROUP BY 1
"""
UNSIGNED_SQL = """
SELECT {key} AS key, COUNT(*),
  COUNT(DISTINCT s.appeal_id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM enterprises_assignment o
    WHERE o.appeal_id = s.appeal_id AND o.department_id = s.department_id AND {settled})),
  COUNT(DISTINCT s.appeal_id) FILTER (WHERE NOT EXISTS (SELECT 1 FROM enterprises_assignment o
    WHERE o.appeal_id = s.appeal_id AND {settled}))
FROM enterprises_assignment s JOIN enterprises_appeal a ON a.id = s.appeal_id
WHERE s.signed_at IS NULL AND s.returned_at IS NULL AND s.sign_due_date < %(today)s
  AND a.accepted_at >= %(start)s AND a.accepted_at < %(end)s AND a.merged_into_id IS NULL
GROUP BY 1
""".replace(
    "{settled}",
    "(o.signed_at IS NOT NULL OR (o.signed_at IS NULL "
    "AND (o.returned_at AT TIME ZONE 'Asia/Shanghai')::date > o.sign_due_date))",
)


def without_jit(run):
    """The figures run with PostgreSQL's JIT off (enterprises.selectors.stats.sources.JIT_NOTE),
    and so does the SQL they are compared with."""

    def run_without_jit():
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        try:
            run()
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")

    return run_without_jit


def timed(run, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def rollup_sql(group_by: str, params: dict) -> None:
    """The roll-up's queries for ``group_by`` (the total is their sum, as in the selector)."""
    appeal_key, assignment_key, rollup_key = KEYS[group_by]
    with connection.cursor() as cursor:
        cursor.execute(BUILT_DAYS_SQL, params)
        clean = {day for day, marked in cursor.fetchall() if not marked}
        months, days = [], []
        first = params["first"].replace(day=1)
        while first <= params["to"]:
            following = (first + dt.timedelta(days=32)).replace(day=1)
            month = [first + dt.timedelta(days=n) for n in range((following - first).days)]
            whole = params["first"] <= first and following - dt.timedelta(days=1) <= params["to"]
            if whole and all(day in clean for day in month):
                months.append(first)
            else:
                days += [day for day in month if day in clean]
            first = following
        cursor.execute(ROLLUP_SQL.format(key=rollup_key), {"months": months, "days": days})
        cursor.fetchall()
        cursor.execute(OVERDUE_SQL.format(key=appeal_key), params)
        cursor.fetchall()
        cursor.execute(UNSIGNED_SQL.format(key=assignment_key), params)
        cursor.fetchall()


def live_sql(group_by: str, params: dict) -> None:
    """The live aggregate over the appeals, grouped and for the total."""
    appeal_key, assignment_key, _rollup_key = KEYS[group_by]
    with connection.cursor() as cursor:
        for sql in (APPEALS_SQL.format(key=appeal_key), ASSIGNMENTS_SQL.format(key=assignment_key)):
            cursor.execute(sql, params)
            cursor.fetchall()
        # the total: the same two without grouping
        for sql in (APPEALS_SQL.format(key="1"), ASSIGNMENTS_SQL.format(key="1")):
            cursor.execute(sql, params)
            cursor.fetchall()


def api_call(client, query: dict):
    def call():
        response = client.get("/api/v1/stats/appeals/", query)
        assert response.status_code == 200, response.content[:300]

    return call


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    # Read now: every request clears the connection's query log.
    return len(captured.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--live-calls", type=int, default=3, help="timings of the live SQL")
    parser.add_argument("--marked-days", type=int, default=5)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("bench/dashboard.py measures PostgreSQL: set DATABASE_URL.", file=sys.stderr)
        return 2
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    leader = (
        User.objects.filter(username="bench-leader-1").first()
        or User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
    )
    today = timezone.localdate()
    start_day = today - dt.timedelta(days=365)
    client = Client()
    client.force_login(leader)
    total = Appeal.objects.count()
    year = Appeal.objects.filter(
        accepted_at__gte=timezone.make_aware(dt.datetime.combine(start_day, dt.time.min))
    ).count()
    print(f"{total:,} appeals, {year:,} accepted from {start_day} to {today}; as {leader}")
    plan = Plan.for_period(start_day, today)
    print(
        f"roll-up: {AppealStatsDay.objects.count():,} days built; this year is read from "
        f"{len(plan.months)} month rows' months and {sum((b - a).days + 1 for a, b in plan.days)} "
        f"days' day rows, {len(plan.live)} runs of days counted live"
    )
    if not plan.months and not plan.days:
        print("The roll-up holds nothing for the year: run manage.py rebuild_stats.")
    print()
    params = {
        "start": timezone.make_aware(dt.datetime.combine(start_day, dt.time.min)),
        "end": timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min)),
        "today": today,
        "first": start_day,
        "to": today,
        "last": today + dt.timedelta(days=366),
    }
    ok = True
    print(
        f"{'group_by':<12}{'median ms':>10}{'p90 ms':>9}{'queries':>9}{'SQL ms':>9}{'ratio':>7}"
        f"{'live SQL ms':>13}"
    )
    for group_by in ("department", "month"):
        query = {"group_by": group_by, "from": start_day.isoformat(), "to": today.isoformat()}
        call = api_call(client, query)
        call()  # warm caches (session, holiday table)
        queries = count_queries(call)
        times = timed(call, args.calls)
        sql_times = timed(
            without_jit(lambda group_by=group_by: rollup_sql(group_by, params)), args.calls
        )
        live_times = timed(
            without_jit(lambda group_by=group_by: live_sql(group_by, params)), args.live_calls
        )
        median, sql_median = statistics.median(times), statistics.median(sql_times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else median
        ratio = median / sql_median
        met = median <= GOAL_MS and queries <= GOAL_QUERIES and ratio <= GOAL_RATIO
        ok &= met
        live = f"{statistics.median(live_times):>13.1f}" if live_times else f"{'–':>13}"
        print(
            f"{group_by:<12}{median:>10.1f}{p90:>9.1f}{queries:>9}{sql_median:>9.1f}"
            f"{ratio:>7.2f}{live}  {'ok' if met else 'MISSED'}"
        )

    if args.marked_days:
        # As a busy minute leaves them: days of the last month marked, counted live until the
        # Celery task rebuilds them. The marks are removed afterwards.
        days = [today - dt.timedelta(days=3 * n) for n in range(args.marked_days)]
        marks = AppealStatsMark.objects.bulk_create(AppealStatsMark(day=day) for day in days)
        try:
            plan = Plan.for_period(start_day, today)
            print()
            print(
                f"with {len(days)} days of the last month marked ({days[-1]} to {days[0]}): "
                f"{len(plan.months)} whole months, "
                f"{sum((b - a).days + 1 for a, b in plan.days)} days from the roll-up, "
                f"{len(plan.live)} runs of days live"
            )
            for group_by in ("department", "month"):
                query = {
                    "group_by": group_by,
                    "from": start_day.isoformat(),
                    "to": today.isoformat(),
                }
                call = api_call(client, query)
                call()
                queries = count_queries(call)
                times = timed(call, args.calls)
                median = statistics.median(times)
                p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else median
                met = median <= GOAL_MS and queries <= GOAL_QUERIES
                ok &= met
                print(
                    f"{group_by:<12}{median:>10.1f}{p90:>9.1f}{queries:>9}"
                    f"  {'ok' if met else 'MISSED'}"
                )
        finally:
            AppealStatsMark.objects.filter(pk__in=[m.pk for m in marks]).delete()

    if not args.skip_export:
        print()
        newest = (
            Appeal.objects.filter(accepted_at__isnull=False)
            .order_by("-accepted_at")
            .values_list("accepted_at", flat=True)[args.export_rows - 1 : args.export_rows]
        )
        since = timezone.localtime(newest[0]).date() if newest else start_day
        query = {"accepted_from": since.isoformat()}
        # Over 10^4 rows the view queues an export job (bench/export.py times that path): here
        # the workbook is built in the request, as before, to measure the same work.
        from portal.views import exports as export_views

        export_views.EXPORT_JOB_THRESHOLD = 10**9
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get("/appeals/export/", query)
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = Appeal.objects.filter(
            accepted_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)),
        ).count()
        peak_mb = peak / 2**20
        met = peak_mb <= GOAL_EXPORT_MB and rss_after - rss_before <= GOAL_EXPORT_MB
        ok &= met
        print(
            f"export of {rows:,} appeals (accepted since {since}): {size / 2**20:.1f} MB .xlsx in "
            f"{seconds:.1f} s; Python peak {peak_mb:.1f} MB; process peak RSS "
            f"{rss_before:.0f} → {rss_after:.0f} MB  {'ok' if met else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
