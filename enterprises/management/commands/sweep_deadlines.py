"""One reminder and escalation sweep, synchronously: the code the Celery beat task runs."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enterprises.services.reminders import sweep_deadlines


class Command(BaseCommand):
    help = (
        "Run one deadline sweep now. The last line starts with the number of reminders "
        "recorded; in-app notifications exist before the command exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Pretend the clock reads this ISO-8601 time (local time if no offset is given).",
        )

    def handle(self, *args, now: str | None = None, **options):
        moment = None
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(
                    f"--now must be an ISO-8601 time such as 2026-11-30T09:00, not {now!r}"
                ) from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        result = sweep_deadlines(now=moment)
        self.stdout.write(str(result))
