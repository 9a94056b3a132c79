"""How fast is the figures page of the villages' reports on a big database?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tongxin_bench_alliances \\
        .venv/bin/python bench/alliances.py [--villages 10000] [--periods 10] [--calls 20]

``seed``: when fewer than ``--villages`` synthetic villages exist, adds them under Quzhou's six
counties (townships 9xx, so they never collide with the dataset's codes), a fifth of them ethnic,
in 100 alliances (every tenth village in a second one), and for each village an approved report
in force for each of the last ``--periods`` half years with both indicators (bulk inserts), then
``VACUUM ANALYZE`` on PostgreSQL.

``figures``: the figures page (``/alliances/figures/``) as a dispatcher, grouped by alliance and
by county, and the API (``/api/v1/alliances/figures/``): the median and 90th percentile of
``--calls`` requests and the number of queries of one. Goal of issue 16: ≤ 300 ms in ≤ 10
queries on 10^4 villages × 10 periods. Exit status 0 only when every goal is met.
"""

import argparse
import datetime as dt
import logging
import os
import statistics
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

from alliances.models import (  # noqa: E402
    Alliance,
    Indicator,
    Membership,
    ReportValue,
    VillageReport,
)
from alliances.periods import Period  # noqa: E402
from alliances.services import ensure_indicators  # noqa: E402
from portal.models import Region, Role, User  # noqa: E402
from portal.regions import ensure_built_in_regions  # noqa: E402

GOAL_MS = 300.0
GOAL_QUERIES = 10
BATCH = 5_000
COUNTIES = ("330802", "330803", "330822", "330824", "330825", "330881")
TOWNSHIPS_PER_COUNTY = 20
ALLIANCES = 100
NAME = "基准联盟{:03d}"


def periods(count: int) -> list[Period]:
    found, period = [], Period(2023, 2)
    for _i in range(count):
        found.append(period)
        period = Period(period.year, 1) if period.half == 2 else Period(period.year - 1, 2)
    return sorted(found)


def seed(args) -> None:
    ensure_built_in_regions()
    ensure_indicators()
    synthetic = Region.objects.filter(level=Region.Level.VILLAGE, code__regex=r"^3308[0-9]{2}9")
    have = synthetic.count()
    if have >= args.villages and VillageReport.objects.filter(village__in=synthetic).exists():
        print(f"seed: {have} synthetic villages there already")
        return
    started = time.perf_counter()
    per_township = -(-args.villages // (len(COUNTIES) * TOWNSHIPS_PER_COUNTY))
    with transaction.atomic():
        townships = []
        for county in COUNTIES:
            parent = Region.objects.get(code=county.ljust(12, "0"))
            for t in range(TOWNSHIPS_PER_COUNTY):
                code = f"{county}{900 + t:03d}000"
                townships.append(
                    Region(
                        code=code, name=f"基准镇{county}{t}", level=4, parent=parent, vintage=2023
                    )
                )
        Region.objects.bulk_create(townships, ignore_conflicts=True, batch_size=BATCH)
        townships = list(Region.objects.filter(code__in=[t.code for t in townships]))
        villages = []
        for township in townships:
            for v in range(per_township):
                villages.append(
                    Region(
                        code=f"{township.code[:9]}{v + 1:03d}",
                        name=f"基准村{township.code[3:9]}{v}",
                        level=5,
                        parent=township,
                        vintage=2023,
                        is_ethnic=v % 5 == 0,
                    )
                )
                if len(villages) >= args.villages:
                    break
            if len(villages) >= args.villages:
                break
        Region.objects.bulk_create(villages, ignore_conflicts=True, batch_size=BATCH)
        villages = list(synthetic.order_by("code"))[: args.villages]
        alliances = []
        for n in range(ALLIANCES):
            alliances.append(
                Alliance(
                    name=NAME.format(n),
                    founded_on=dt.date(2018, 1, 1),
                    lead_village=villages[n * len(villages) // ALLIANCES],
                )
            )
        Alliance.objects.bulk_create(alliances, ignore_conflicts=True)
        alliances = list(Alliance.objects.filter(name__startswith="基准联盟").order_by("name"))
        members = []
        for i, village in enumerate(villages):
            members.append(
                Membership(
                    alliance=alliances[i * len(alliances) // len(villages)],
                    region=village,
                    joined_on=dt.date(2018, 1, 1),
                )
            )
            if i % 10 == 0:
                members.append(
                    Membership(
                        alliance=alliances[(i * 7 + 3) % len(alliances)],
                        region=village,
                        joined_on=dt.date(2018, 1, 1),
                    )
                )
        Membership.objects.bulk_create(members, ignore_conflicts=True, batch_size=BATCH)
        indicators = list(
            Indicator.objects.filter(code__in=["collective_income", "operating_income"])
        )
        for period in periods(args.periods):
            reports = [
                VillageReport(
                    village=village,
                    period=period.code,
                    starts_on=period.starts_on,
                    ends_on=period.ends_on,
                    status="approved",
                    is_effective=True,
                )
                for village in villages
            ]
            VillageReport.objects.bulk_create(reports, batch_size=BATCH)
            values = [
                ReportValue(
                    report=report,
                    indicator=indicator,
                    value=Decimal(300000 + (report.village_id * 7919 + k * 104729) % 700000),
                )
                for report in reports
                for k, indicator in enumerate(indicators)
            ]
            ReportValue.objects.bulk_create(values, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"seed: {len(villages)} villages × {args.periods} periods in "
        f"{time.perf_counter() - started:.1f} s ({VillageReport.objects.count()} reports)"
    )


def measure(client: Client, url: str, calls: int) -> tuple[float, float, int]:
    client.get(url)  # warm up
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    times = []
    for _i in range(calls):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(int(len(times) * 0.9) - 1, 0)], len(queries)


def figures(args) -> bool:
    user, _ = User.objects.get_or_create(
        username="bench-alliances", defaults={"role": Role.DISPATCHER}
    )
    client = Client()
    client.force_login(user)
    met = True
    period = periods(args.periods)[-2].code  # an H1, with the year before in the data
    for label, url in (
        ("page by alliance", f"/alliances/figures/?period={period}&group_by=alliance"),
        ("page by county", f"/alliances/figures/?period={period}&group_by=county"),
        ("API by alliance", f"/api/v1/alliances/figures/?period={period}&group_by=alliance"),
        ("API by county", f"/api/v1/alliances/figures/?period={period}&group_by=county"),
    ):
        median, p90, count = measure(client, url, args.calls)
        ok = median <= GOAL_MS and count <= GOAL_QUERIES
        met &= ok
        print(
            f"figures {label}: median {median:.0f} ms, p90 {p90:.0f} ms, {count} queries "
            f"(goal ≤ {GOAL_MS:.0f} ms, ≤ {GOAL_QUERIES}) {'ok' if ok else 'MISSED'}"
        )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the goal is measured on PostgreSQL", file=sys.stderr)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    seed(args)
    return 0 if figures(args) else 1


if __name__ == "__main__":
    sys.exit(main())
