"""Seed the holiday table from the pinned ``chinesecalendar`` package (2004–2026)."""

from django.db import migrations


def seed(apps, schema_editor):
    from portal.workdays import sync_from_chinesecalendar

    sync_from_chinesecalendar(apps.get_model("portal", "CalendarYear"), apps.get_model("portal", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_quzhou_regions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
