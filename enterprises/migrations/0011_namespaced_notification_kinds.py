"""The app's notification kinds are stored namespaced: ``assigned`` becomes
``enterprises.assigned`` (``portal.registry.register_notification_kind``). Reversible."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

APP = "enterprises"

# The kinds as they were when the namespaces came (enterprises.notifications.KIND_LABELS).
KINDS = (
    "membership_requested",
    "membership_verified",
    "membership_rejected",
    "submitted",
    "accepted",
    "rejected",
    "merged",
    "assigned",
    "co_assigned",
    "returned",
    "info_requested",
    "info_provided",
    "part_submitted",
    "replied",
    "rehandle",
    "rated",
    "extension_requested",
    "extension_decided",
    "supervised",
    "closed",
    "reminder",
    "digest",
    "session_invited",
    "session_answered",
    "session_changed",
    "session_host",
    "session_reminder",
    "celebration_requested",
    "celebration_decided",
)


def prefix(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    Notification.objects.filter(kind__in=KINDS).update(kind=Concat(Value(f"{APP}."), "kind"))


def unprefix(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    Notification.objects.filter(kind__in=[f"{APP}.{kind}" for kind in KINDS]).update(
        kind=Substr("kind", len(APP) + 2)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0010_appeal_tally"),
        ("portal", "0008_namespaced_notification_kinds"),
    ]

    operations = [migrations.RunPython(prefix, unprefix, elidable=True)]
