"""How fast are the appeal lists and the detail page on a big database?

    DATABASE_URL=postgres://… .venv/bin/python bench/lists.py [--appeals N] [--calls 20]

For the dispatcher's list, a handler's inbox and an entrepreneur's list (each through the API
and as an HTML page, 50 rows) and an appeal's detail page with its timeline (API and HTML), it
prints the median and 90th percentile of ``--calls`` requests and the number of SQL queries,
at 50 rows and at 5 rows (for the detail: a closed appeal with a long timeline and a plain
closed one, whose counts should match too). The goals of
issue 3: ≤ 50 ms median, ≤ 10 queries, the same count at 5 and 50 rows.

It uses Django's test client with ``force_login`` against the data already in the database
(seeded by ``manage.py seed_bench``); when there are no appeals it runs ``seed_bench --appeals N``
first. The people are the busiest ones: seed_bench's first dispatcher, the handler of the
department with the most open appeals, the member of the enterprise with the most appeals.
The HTML lists have a fixed page size (``enterprises.views.appeals.PAGE_SIZE``); the script
sets it to the size it measures. Requests run with ``DEBUG`` off, as in production; queries
are counted on separate requests.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # django-axes logs every force_login

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from enterprises.models import Appeal, AppealEvent, Membership, Status  # noqa: E402
from portal.models import Role, User  # noqa: E402

GOAL_MS, GOAL_QUERIES = 50.0, 10


def busiest_people():
    dispatcher = (
        User.objects.filter(username="bench-dispatcher-1").first()
        or User.objects.filter(role=Role.DISPATCHER, is_active=True).order_by("pk").first()
    )
    busiest = (
        Appeal.objects.filter(status__in=[Status.ASSIGNED, Status.IN_PROGRESS])
        .values("lead_department")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    handler = (
        User.objects.filter(
            role=Role.HANDLER, department_id=busiest["lead_department"], is_active=True
        )
        .order_by("username")
        .first()
    )
    top = Appeal.objects.values("enterprise").annotate(n=Count("id")).order_by("-n").first()
    entrepreneur = (
        Membership.objects.filter(
            enterprise_id=top["enterprise"], status="verified", user__role=Role.ENTREPRENEUR
        )
        .select_related("user")
        .first()
        .user
    )
    return dispatcher, handler, entrepreneur, busiest["n"], top["n"]


def detail_appeals():
    """Two closed appeals: one with a long timeline (re-handled, called back), one plain."""
    long = (
        Appeal.objects.filter(rehandle_count__gt=0, status=Status.CLOSED)
        .exclude(callback_rating="")
        .order_by("-id")
        .first()
    ) or Appeal.objects.filter(rehandle_count__gt=0).order_by("-id").first()
    short = (
        Appeal.objects.filter(
            status=Status.CLOSED,
            close_reason="rated",
            rehandle_count=0,
            callback_rating="",
            extended=False,
            stopped_days=0,
        )
        .order_by("-id")
        .first()
    )
    return long, short


class Bench:
    def __init__(self, calls: int):
        self.calls = calls
        self.rows = []
        self.html_module = None
        try:
            from enterprises.views import appeals as html_module

            if hasattr(html_module, "PAGE_SIZE"):
                self.html_module = html_module
        except ImportError:
            pass

    def _client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def _page_size(self, size: int) -> None:
        if self.html_module is not None:
            self.html_module.PAGE_SIZE = size

    def _count(self, client, url: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return response.status_code, len(queries)

    def _time(self, client, url: str) -> tuple[float, float]:
        for _ in range(2):  # warm-up
            client.get(url)
        times = []
        for _ in range(self.calls):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.9) - 1]

    def measure(self, name: str, kind: str, user, url_for, sizes=(50, 5)) -> None:
        """``url_for(size)`` gives the URL for a page of ``size`` rows (or a detail variant)."""
        client = self._client(user)
        client.get(url_for(sizes[0]))  # the first request of a session fills caches; skip it
        counts, statuses = [], []
        for size in sizes:
            self._page_size(size)
            status, count = self._count(client, url_for(size))
            statuses.append(status)
            counts.append(count)
        self._page_size(sizes[0])
        if any(status != 200 for status in statuses):
            self.rows.append((name, kind, None, None, counts, statuses))
            return
        median, p90 = self._time(client, url_for(sizes[0]))
        self.rows.append((name, kind, median, p90, counts, statuses))

    def report(self) -> bool:
        header = f"{'case':<24}{'via':<6}{'median ms':>10}{'p90 ms':>9}{'queries':>9}{'at 5':>6}  verdict"
        print(header)
        print("-" * len(header))
        ok = True
        for name, kind, median, p90, counts, statuses in self.rows:
            if median is None:
                ok = False
                print(
                    f"{name:<24}{kind:<6}{'HTTP ' + '/'.join(map(str, statuses)):>34}  not measured"
                )
                continue
            misses = []
            if median > GOAL_MS:
                misses.append(f"> {GOAL_MS:.0f} ms")
            if max(counts) > GOAL_QUERIES:
                misses.append(f"> {GOAL_QUERIES} queries")
            if len(set(counts)) > 1:
                misses.append("count depends on rows")
            ok = ok and not misses
            print(
                f"{name:<24}{kind:<6}{median:>10.1f}{p90:>9.1f}{counts[0]:>9}{counts[1]:>6}  "
                + ("ok" if not misses else "MISS: " + ", ".join(misses))
            )
        return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000, help="seed this many if empty")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=20, help="timed requests per case")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not Appeal.objects.exists():
        print(f"No appeals yet: seeding {args.appeals} with seed_bench …", flush=True)
        call_command("seed_bench", appeals=args.appeals, seed=args.seed, force=True)
    settings.DEBUG = False  # no query log while timing, as in production

    dispatcher, handler, entrepreneur, inbox_size, own = busiest_people()
    long, short = detail_appeals()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, "
        f"{Appeal.objects.count():,} appeals, {AppealEvent.objects.count():,} events; "
        f"{args.calls} timed calls per case"
    )
    print(
        f"dispatcher {dispatcher.username}; handler {handler.username} "
        f"({inbox_size:,} open appeals in the department); entrepreneur "
        f"{entrepreneur.username} ({own:,} appeals); detail {long.number} "
        f"({long.events.count()} events) and {short.number} ({short.events.count()} events)\n"
    )

    bench = Bench(args.calls)
    api = "/api/v1/appeals/?page_size={}".format
    # The handler's inbox is what the department still has to sign for or work on, through the
    # API as on the page.
    inbox = "/api/v1/appeals/?status=assigned&status=in_progress&page_size={}".format
    for name, user, via_api, html in (
        ("dispatcher list", dispatcher, api, "/appeals/"),
        ("handler inbox", handler, inbox, "/appeals/inbox/"),
        ("entrepreneur list", entrepreneur, api, "/appeals/"),
    ):
        bench.measure(name, "api", user, via_api)
        bench.measure(name, "html", user, lambda size, html=html: html)
    for kind, prefix in (("api", "/api/v1/appeals/"), ("html", "/appeals/")):
        bench.measure(
            "appeal detail",
            kind,
            dispatcher,
            lambda which, prefix=prefix: f"{prefix}{long.pk if which == 'long' else short.pk}/",
            sizes=("long", "short"),
        )
    ok = bench.report()
    print("\nAll goals met." if ok else "\nSome goals are missed (see above).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
