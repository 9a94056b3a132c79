"""How fast is the leaders' cockpit on a big database?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_bench_cockpit \\
        .venv/bin/python bench/cockpit.py [--appeals 1000000] [--people 100000] \\
        [--villages 10000] [--calls 20]

``seed`` (only what is missing): ``manage.py seed_bench --appeals N`` (appeals with their
roll-up), the xiangxian registry up to ``--people`` (``bench/xiangxian.py``'s builder) and the
villages and their alliances (``bench/alliances.py``'s builder), then ``VACUUM ANALYZE``.

``cockpit``: ``/cockpit/`` and ``/api/v1/cockpit/`` as a leader for this year, last year and a
quarter, and for one county: the median and 90th percentile of ``--calls`` requests and the
number of queries of one. Goal of issue 19: ≤ 300 ms and ≤ 20 queries. Exit status 0 only when
every goal is met.
"""

import argparse
import io
import logging
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import alliances as alliance_bench  # noqa: E402
from bench import xiangxian as xiangxian_bench  # noqa: E402
from enterprises.models import Appeal  # noqa: E402
from portal.models import Role, User  # noqa: E402

GOAL_MS, GOAL_QUERIES = 300.0, 20


def seed(args) -> None:
    have = Appeal.objects.count()
    if have < args.appeals:
        print(f"seed: {have:,} appeals; seed_bench --appeals {args.appeals:,} …", flush=True)
        call_command(
            "seed_bench", appeals=args.appeals, seed=args.seed, force=True, stdout=io.StringIO()
        )
    else:
        print(f"seed: {have:,} appeals already")
    xiangxian_bench.seed(args)
    alliance_bench.seed(args)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def cockpit(args) -> bool:
    user, _created = User.objects.get_or_create(
        username="bench-cockpit", defaults={"role": Role.LEADER}
    )
    client = Client()
    client.force_login(user)
    year = timezone.localdate().year
    met = True
    for label, query in (
        ("this year", ""),
        ("last year", f"?period={year - 1}"),
        ("a quarter", f"?period={year - 1}Q3"),
        ("one county, last year", f"?period={year - 1}&county=330881"),
        ("from–to", f"?from={year - 1}-03-15&to={year - 1}-10-20"),
    ):
        for kind, url in (("page", f"/cockpit/{query}"), ("API", f"/api/v1/cockpit/{query}")):
            median, p90, count = alliance_bench.measure(client, url, args.calls)
            ok = median <= GOAL_MS and count <= GOAL_QUERIES
            met &= ok
            print(
                f"cockpit {kind}, {label}: median {median:.0f} ms, p90 {p90:.0f} ms, "
                f"{count} queries (goal ≤ {GOAL_MS:.0f} ms, ≤ {GOAL_QUERIES}) "
                f"{'ok' if ok else 'MISSED'}",
                flush=True,
            )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--villages", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=10, help="half years of village figures")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the goal is measured on PostgreSQL", file=sys.stderr)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    seed(args)
    return 0 if cockpit(args) else 1


if __name__ == "__main__":
    sys.exit(main())
