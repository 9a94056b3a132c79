"""``seed_demo [--password PW]``: idempotent demo data and the CONTRACT.md accounts.

Each app contributes its part (``portal.registry.register_seeder``); this command runs them in
dependency order in one transaction, each seeing what earlier ones put in the shared context.
A second run changes passwords back to PW and creates nothing new.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import registry


class Command(BaseCommand):
    help = "Load the demo data of every app and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="tongxin-demo")

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        context: dict = {"password": password}
        lines = []
        for seeder in registry.seeders():
            added = seeder.seed(context) or {}
            lines += [f"{seeder.name}: {line}" for line in added.pop("summary", [])]
            context.update(added)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for line in lines:
            self.stdout.write(line)
