"""Rebuild the figures' roll-up: what the nightly Celery task does, or the minutely one with
``--marked``. Run it once after migrating a database that already holds appeals."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from enterprises.services import stats as figures


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Give dates as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Rebuild the roll-up behind the figures from the appeals: every day (default), a range, "
        "or only the days appeal steps marked since the last run (--marked)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--marked", action="store_true", help="only the marked days")
        parser.add_argument("--from", dest="first", help="first day of acceptance (YYYY-MM-DD)")
        parser.add_argument("--to", dest="last", help="last day of acceptance (YYYY-MM-DD)")
        parser.add_argument(
            "--handling-days",
            action="store_true",
            help="first recount every closed appeal's handling time from the holiday table "
            "(after a correction of past holidays)",
        )

    def handle(self, *args, marked=False, first=None, last=None, handling_days=False, **options):
        first, last = (_date(v) if v else None for v in (first, last))
        if marked and (first or last):
            raise CommandError("--marked rebuilds the marked days; leave out --from and --to.")
        if first and last and first > last:
            raise CommandError("--from comes after --to.")
        started = time.monotonic()
        recounted = 0
        if handling_days or not marked:
            recounted = figures.recount_handling_days(missing_only=not handling_days)
        if recounted:
            self.stdout.write(f"{recounted} handling times counted")
        result = figures.refresh() if marked else figures.rebuild(first, last)
        self.stdout.write(
            f"{result.days} days rebuilt, {result.rows} day rows, "
            f"in {time.monotonic() - started:.1f} s"
        )
