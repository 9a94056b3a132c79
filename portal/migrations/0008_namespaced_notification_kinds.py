"""The core's own notification kind is stored namespaced like every app's:
``calendar_missing_year`` becomes ``portal.calendar_missing_year``. Reversible."""

from django.db import migrations

KINDS = {"calendar_missing_year": "portal.calendar_missing_year"}


def prefix(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    for bare, full in KINDS.items():
        Notification.objects.filter(kind=bare).update(kind=full)


def unprefix(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    for bare, full in KINDS.items():
        Notification.objects.filter(kind=full).update(kind=bare)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_shared_files_timeline_tags"),
    ]

    operations = [migrations.RunPython(prefix, unprefix, elidable=True)]
