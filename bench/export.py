"""How fast is an Excel export of 10^5 appeals, and how much memory does it take?

    .venv/bin/python bench/export.py [--rows 100000] [--skip-full]
    DATABASE_URL=postgres://… .venv/bin/python bench/export.py     # the full path on that db

Each case runs in a process of its own, so each peak RSS is its own:

- ``openpyxl``: ``--rows`` synthetic rows of the appeal export's 24 columns (numbers, titles,
  names, six times, two dates, flags) written by openpyxl's write-only mode (lxml when it is
  installed), as ``portal.exports`` did before;
- ``xlsxwriter``: the same rows through ``portal.exports.write_workbook`` (XlsxWriter,
  ``constant_memory``);
- ``full``: the appeal export of the newest ``--rows`` appeals as a job would build it
  (``export_request`` + ``export_job_run``: the scoped query, the rows, the workbook, the file
  stored) for seed_bench's first leader; ``seed_bench`` first adds appeals (in a process of
  its own) when the database has fewer than ``--rows``. Queries are counted too.

Goal (issue 14): 10^5 rows in ≤ 30 s with a peak RSS ≤ 200 MB. Exit status 0 when met.
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
GOAL_SECONDS, GOAL_RSS_MB = 30.0, 200.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_rows(n: int):
    base = dt.datetime(2026, 1, 1, 8, 30, tzinfo=dt.UTC)
    for i in range(n):
        t = base + dt.timedelta(minutes=7 * i)
        yield (
            f"QH-2026-{i:06d}",
            f"关于企业用地审批进度的诉求（第{i}号）",
            f"衢州市某某科技有限公司{i % 10_000}",
            "要素保障",
            "企业端",
            "已办结",
            "市发展和改革委员会",
            "柯城区",
            t,
            t + dt.timedelta(hours=1),
            t + dt.timedelta(hours=2),
            t + dt.timedelta(hours=3),
            t + dt.timedelta(days=3),
            t + dt.timedelta(days=5),
            t.date() + dt.timedelta(days=10),
            None if i % 3 else t.date() + dt.timedelta(days=7),
            "否",
            i % 4,
            "满意",
            "",
            1,
            i % 2,
            "否",
            "否",
        )


def openpyxl_write(columns, rows, target) -> int:
    """portal.exports before issue 14: openpyxl's write-only mode, one row at a time."""
    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    formats = {"datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd", "percent": "0.0%"}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="诉求清单")
    sheet.append([c.header for c in columns])
    written = 0
    for row in rows:
        cells = []
        for value, column in zip(row, columns, strict=True):
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            if value is None or not column.kind or column.kind == "number":
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = formats[column.kind]
            cells.append(cell)
        sheet.append(cells)
        written += 1
    workbook.save(target)
    return written


def run_case(case: str, rows: int) -> dict:
    import django

    django.setup()
    from enterprises.exports import LIST_COLUMNS
    from portal.exports import Sheet, write_workbook

    result = {"case": case, "rss_start_mb": round(peak_rss_mb(), 1)}
    if case == "seed":  # a process of its own, so that its memory is not the export's
        from django.core.management import call_command

        from enterprises.models import Appeal

        have = Appeal.objects.count()
        if have < rows:
            start = time.perf_counter()
            call_command("seed_bench", appeals=rows - have, seed=1, verbosity=0)
            result["seconds"] = round(time.perf_counter() - start, 1)
        result.update(rows=max(rows - have, 0), bytes=0, seconds=result.get("seconds", 0.0))
    elif case in ("openpyxl", "xlsxwriter"):
        try:
            import lxml  # noqa: F401

            result["lxml"] = True
        except ImportError:
            result["lxml"] = False
        with tempfile.TemporaryFile(suffix=".xlsx") as target:
            start = time.perf_counter()
            if case == "openpyxl":
                written = openpyxl_write(LIST_COLUMNS, synthetic_rows(rows), target)
            else:
                written = write_workbook(
                    [Sheet("诉求清单", LIST_COLUMNS, synthetic_rows(rows))], target
                )
            result["seconds"] = round(time.perf_counter() - start, 1)
            result["bytes"] = target.tell()
        result["rows"] = written
    else:
        result.update(full_export(rows))
    result["rss_peak_mb"] = round(peak_rss_mb(), 1)
    return result


def full_export(rows: int) -> dict:
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from enterprises.models import Appeal
    from portal.models import ExportJob, Role, User
    from portal.services import export_job_run, export_request

    if Appeal.objects.count() < rows:
        raise SystemExit("Seed first: the 'seed' case runs before 'full'")
    leader = (
        User.objects.filter(username="bench-leader-1").first()
        or User.objects.filter(role=Role.LEADER).order_by("pk").first()
    )
    newest = Appeal.objects.order_by("-submitted_at").values_list("submitted_at", flat=True)
    since = newest[rows - 1]
    # The list's filter is by day: the whole days from the day of the N-th newest appeal.
    params = {"submitted_from": [timezone.localtime(since).date().isoformat()]}
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        job = export_request(user=leader, kind="enterprises.appeals", params=params)
        status = export_job_run(job.pk)
    seconds = time.perf_counter() - start
    job = ExportJob.objects.get(pk=job.pk)
    size = job.file.size if job.file else 0
    if job.file:
        default_storage.delete(job.file.name)
    job.delete()
    return {
        "status": status,
        "rows": job.rows_done,
        "seconds": round(seconds, 1),
        "bytes": size,
        "queries": len(queries),
        "database": connection.vendor,
        "params": params,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--cases", default="openpyxl,xlsxwriter,seed,full")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.rows)))
        return 0
    cases = [c for c in args.cases.split(",") if not (args.skip_full and c in ("seed", "full"))]
    ok = True
    print(f"{'case':<11} {'rows':>8} {'seconds':>8} {'MB file':>8} {'RSS MB':>14}  extra")
    for case in cases:
        out = subprocess.run(
            [sys.executable, __file__, "--case", case, "--rows", str(args.rows)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            print(f"{case}: failed\n{out.stderr[-2000:]}")
            ok = False
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        extra = {k: r[k] for k in ("lxml", "queries", "database", "status") if k in r}
        met = r["seconds"] <= GOAL_SECONDS and r["rss_peak_mb"] <= GOAL_RSS_MB
        if case == "seed":
            if r["rows"]:
                print(f"seeded {r['rows']:,} appeals in {r['seconds']:.0f} s")
            continue
        if case != "openpyxl":
            ok = ok and met
        print(
            f"{case:<11} {r['rows']:>8,} {r['seconds']:>8.1f} {r['bytes'] / 1e6:>8.1f} "
            f"{r['rss_start_mb']:>6.0f} → {r['rss_peak_mb']:<5.0f}  {extra} {'ok' if met else 'MISSED'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
