"""The deadline sweep at scale (issue 4): its time with nothing due and with 10^4 due.

    createdb -h 127.0.0.1 -U postgres tongxin_sweep
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_sweep
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/sweep.py            # seeds 10^6 appeals, 30 % open, when empty

Goals: ≤ 50 ms with nothing due; ≤ 10 s for 10^4 due, notification rows included. The "due"
runs happen inside a transaction that is rolled back afterwards, so the script can be run again
on the same database and every run measures the same work (deliveries are written to the outbox
but, rolled back, never handed to Celery: handing over happens after commit, outside the sweep).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprises.models import Appeal, Reminder, Status  # noqa: E402
from enterprises.services.reminders import fire_time, sweep_deadlines  # noqa: E402
from portal.models import Delivery, Department, Notification  # noqa: E402
from portal.workdays import add_working_days  # noqa: E402

NOTHING_DUE_GOAL_MS = 50
DUE_GOAL_S = 10


class Rollback(Exception):
    pass


def nothing_due(calls: int) -> tuple[float, int, str]:
    """Median time of a sweep that finds nothing, its queries, and the plan of its read."""
    now = timezone.now()
    # The state after every reminder so far was sent: no appeal's next check has come.
    Appeal.objects.filter(next_reminder_at__lte=now).update(next_reminder_at=None)
    sweep_deadlines(now=now)  # warm the connection and caches
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        result = sweep_deadlines(now=now)
        times.append((time.perf_counter() - started) * 1000)
        assert result.appeals == 0, result
    with CaptureQueriesContext(connection) as queries:
        sweep_deadlines(now=now)
    read = Appeal.objects.filter(next_reminder_at__lte=now).order_by("next_reminder_at", "pk")
    plan = read[:500].explain()
    return statistics.median(times), len(queries), plan


def due(count: int) -> dict:
    """One sweep with ``count`` appeals due today (handlers and heads told), rolled back."""
    # Just after the reminder hour of a working day, so that "due today" fires.
    today = add_working_days(timezone.localdate(), 0)
    now = fire_time(today) + dt.timedelta(minutes=30)
    ids = list(
        Appeal.objects.filter(
            status__in=[Status.ASSIGNED, Status.IN_PROGRESS], awaiting_info=False
        ).values_list("pk", flat=True)[:count]
    )
    figures = {}
    try:
        with transaction.atomic():
            # Every department has a robot (a closed port: nothing is sent, rolled back), so
            # the outbox rows of the robot channel are part of the cost.
            Department.objects.update(
                webhook_kind=Department.WebhookKind.DINGTALK,
                webhook_url="http://127.0.0.1:9/robot/send?access_token=bench",
            )
            # As if each had been routed with today as its deadline and touched by a service.
            Appeal.objects.filter(pk__in=ids).update(
                due_date=today, next_reminder_at=now - dt.timedelta(minutes=1)
            )
            before = (Notification.objects.count(), Delivery.objects.count())
            started = time.perf_counter()
            result = sweep_deadlines(now=now)
            figures["seconds"] = time.perf_counter() - started
            figures["result"] = result
            figures["notifications"] = Notification.objects.count() - before[0]
            figures["deliveries"] = Delivery.objects.count() - before[1]
            figures["by_rule"] = dict(
                Reminder.objects.filter(appeal_id__in=ids, created_at=now)
                .values_list("rule__code")
                .annotate(n=Count("pk"))
            )
            raise Rollback
    except Rollback:
        pass
    figures["appeals"] = len(ids)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_000_000, help="seed when empty")
    parser.add_argument("--open-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="runs of the due case")
    args = parser.parse_args()

    if not Appeal.objects.exists():
        print(
            f"No appeals yet: seeding {args.appeals:,} with seed_bench "
            f"--open-share {args.open_share} …",
            flush=True,
        )
        call_command(
            "seed_bench",
            appeals=args.appeals,
            seed=args.seed,
            open_share=args.open_share,
            force=True,
        )
    settings.DEBUG = False
    total = Appeal.objects.count()
    open_count = Appeal.objects.filter(
        status__in=[Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED]
    ).count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, {total:,} appeals, "
        f"{open_count:,} open (accepted, assigned, in progress or replied)\n"
    )

    median_ms, queries, plan = nothing_due(args.calls)
    ok_nothing = median_ms <= NOTHING_DUE_GOAL_MS
    print(f"nothing due: median {median_ms:.1f} ms over {args.calls} sweeps, {queries} queries")
    print("  plan of the sweep's read:\n    " + plan.replace("\n", "\n    "))
    print(f"  goal ≤ {NOTHING_DUE_GOAL_MS} ms: {'ok' if ok_nothing else 'MISSED'}\n")

    runs = [due(args.due) for _ in range(args.runs)]
    seconds = statistics.median(run["seconds"] for run in runs)
    last = runs[-1]
    ok_due = seconds <= DUE_GOAL_S
    print(
        f"{last['appeals']:,} due: median {seconds:.2f} s over {args.runs} runs "
        f"({', '.join(format(run['seconds'], '.2f') for run in runs)}); "
        f"{last['result'].reminders:,} reminders, {last['notifications']:,} notifications, "
        f"{last['deliveries']:,} deliveries in the outbox; by rung {last['by_rule']}"
    )
    print(f"  goal ≤ {DUE_GOAL_S} s: {'ok' if ok_due else 'MISSED'}")
    return 0 if ok_nothing and ok_due else 1


if __name__ == "__main__":
    sys.exit(main())
