"""How fast is the grassroots index's ranking on a big database?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_bench_grassroots \\
        .venv/bin/python bench/grassroots.py [--units 10000] [--indicators 20] [--calls 20]

``seed``: when fewer than ``--units`` synthetic units exist, adds them across Quzhou's six
counties and the six domains, a scheme of ``--indicators`` indicators per domain for 2023 and
2024, eight quarterly periods (2023Q1–2024Q4, locked) with a score row per unit, indicator and
period and the units' totals (bulk inserts), then ``VACUUM ANALYZE`` on PostgreSQL.

``ranking``: the API (``/api/v1/grassroots/index/``) by unit (all domains and one), by county,
and the ranking page, as a dispatcher: the median and 90th percentile of ``--calls`` requests
and the number of queries of one. Goal of issue 18: ≤ 300 ms in ≤ 10 queries on 10^4 units ×
20 indicators × 8 periods. Exit status 0 only when every goal is met.
"""

import argparse
import datetime as dt
import logging
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from bench.alliances import measure  # noqa: E402 (one timing helper for the benches)
from grassroots.models import (  # noqa: E402
    Domain,
    IndexScheme,
    Indicator,
    Period,
    Unit,
    UnitScore,
    UnitTotal,
)
from grassroots.services.index import weighted_total  # noqa: E402
from portal.models import Region, Role, User  # noqa: E402
from portal.regions import ensure_built_in_regions  # noqa: E402

GOAL_MS = 300.0
GOAL_QUERIES = 10
BATCH = 5_000
COUNTIES = ("330802", "330803", "330822", "330824", "330825", "330881")
NAME = "基准单位{:05d}"


def quarters() -> list[tuple[str, int, dt.date, dt.date]]:
    found = []
    for year in (2023, 2024):
        for q in range(4):
            start = dt.date(year, 3 * q + 1, 1)
            end = (
                dt.date(year, 3 * q + 4, 1) if q < 3 else dt.date(year + 1, 1, 1)
            ) - dt.timedelta(days=1)
            found.append((f"{year}Q{q + 1}", year, start, end))
    return found


def seed(args) -> None:
    ensure_built_in_regions()
    synthetic = Unit.objects.filter(name__startswith="基准单位")
    if synthetic.count() >= args.units and UnitTotal.objects.exists():
        print(f"seed: {synthetic.count()} synthetic units there already")
        return
    started = time.perf_counter()
    counties = [Region.objects.get(code=code.ljust(12, "0")) for code in COUNTIES]
    domains = list(Domain.values)
    with transaction.atomic():
        Unit.objects.bulk_create(
            [
                Unit(
                    domain=domains[i % len(domains)],
                    name=NAME.format(i),
                    region=counties[(i // 6) % len(counties)],
                    county=counties[(i // 6) % len(counties)],
                )
                for i in range(args.units)
            ],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        units = list(synthetic.order_by("pk").values_list("pk", "domain", "county_id"))
        indicators: dict[tuple[int, str], list[Indicator]] = {}
        for year in (2023, 2024):
            for domain in domains:
                scheme, _ = IndexScheme.objects.get_or_create(year=year, domain=domain, version=1)
                if not scheme.indicators.exists():
                    Indicator.objects.bulk_create(
                        Indicator(
                            scheme=scheme,
                            code=f"i{n:02d}",
                            name=f"指标{n}",
                            weight=Decimal(1 + n % 5),
                            rule="scored",
                            order=n,
                        )
                        for n in range(args.indicators)
                    )
                indicators[(year, domain)] = list(scheme.indicators.order_by("order"))
        for key, year, start, end in quarters():
            period, _ = Period.objects.get_or_create(
                key=key,
                defaults={
                    "kind": "quarter",
                    "year": year,
                    "starts_on": start,
                    "ends_on": end,
                    "status": "locked",
                },
            )
            scores, totals = [], []
            for pk, domain, county_id in units:
                pairs = []
                for n, indicator in enumerate(indicators[(year, domain)]):
                    score = Decimal((pk * 7919 + n * 104729 + period.pk * 31) % 41 + 60)
                    pairs.append((indicator.weight, score))
                    scores.append(
                        UnitScore(period=period, unit_id=pk, indicator=indicator, score=score)
                    )
                totals.append(
                    UnitTotal(
                        period=period,
                        unit_id=pk,
                        domain=domain,
                        county_id=county_id,
                        score=weighted_total(pairs),
                    )
                )
                if len(scores) >= 50_000:
                    UnitScore.objects.bulk_create(scores, batch_size=BATCH)
                    scores = []
            UnitScore.objects.bulk_create(scores, batch_size=BATCH)
            UnitTotal.objects.bulk_create(totals, batch_size=BATCH, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"seed: {len(units)} units × {args.indicators} indicators × 8 periods in "
        f"{time.perf_counter() - started:.1f} s ({UnitScore.objects.count()} scores, "
        f"{UnitTotal.objects.count()} totals)"
    )


def ranking(args) -> bool:
    user, _ = User.objects.get_or_create(
        username="bench-grassroots", defaults={"role": Role.DISPATCHER}
    )
    client = Client()
    client.force_login(user)
    met = True
    for label, url in (
        ("API by unit, all domains", "/api/v1/grassroots/index/?period=2024Q2&group_by=unit"),
        (
            "API by unit, townships",
            "/api/v1/grassroots/index/?period=2024Q2&group_by=unit&domain=township",
        ),
        ("API by county", "/api/v1/grassroots/index/?period=2024Q2&group_by=county"),
        ("page by unit", "/grassroots/index/?period=2024Q2&group_by=unit"),
        ("page by county", "/grassroots/index/?period=2024Q2&group_by=county"),
    ):
        median, p90, count = measure(client, url, args.calls)
        ok = median <= GOAL_MS and count <= GOAL_QUERIES
        met &= ok
        print(
            f"ranking {label}: median {median:.0f} ms, p90 {p90:.0f} ms, {count} queries "
            f"(goal ≤ {GOAL_MS:.0f} ms, ≤ {GOAL_QUERIES}) {'ok' if ok else 'MISSED'}"
        )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the goal is measured on PostgreSQL", file=sys.stderr)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    seed(args)
    return 0 if ranking(args) else 1


if __name__ == "__main__":
    sys.exit(main())
