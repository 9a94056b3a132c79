"""The app's notification kinds: registered with the portal as ``enterprises.<name>``, stored so,
shown by the API as the name alone with ``app`` (CONTRACT.md: "kind `assigned`"), and the data
migration that namespaced the rows written before."""

import importlib

import pytest
from django.apps import apps

from enterprises import notifications
from portal import registry
from portal.models import Notification
from tests.factories import UserFactory, appeal_in

pytestmark = pytest.mark.django_db

MIGRATION = "enterprises.migrations.0011_namespaced_notification_kinds"


def test_every_kind_of_the_app_is_registered_under_its_name():
    for name, label in notifications.KIND_LABELS.items():
        registered = registry.notification_kind(f"enterprises.{name}")
        assert registered is not None, name
        assert (registered.app, registered.name, registered.label) == ("enterprises", name, label)
        assert notifications.kind(name) == f"enterprises.{name}"


def test_a_kind_the_app_does_not_have_raises():
    with pytest.raises(ValueError, match="nothing"):
        notifications.kind("nothing")


def test_assignment_stores_the_namespaced_kind_and_the_api_shows_assigned(
    client, entrepreneur, dispatcher, handler
):
    appeal = appeal_in(
        "assigned", entrepreneur=entrepreneur, dispatcher=dispatcher, handler=handler
    )

    stored = Notification.objects.get(recipient=handler)
    assert stored.kind == "enterprises.assigned"
    client.force_login(handler)
    (row,) = client.get("/api/v1/notifications/").json()["results"]
    assert (row["kind"], row["app"], row["appeal"]) == ("assigned", "enterprises", appeal.pk)


def test_the_migration_namespaces_the_apps_kinds_and_back():
    migration = importlib.import_module(MIGRATION)
    assert set(migration.KINDS) == set(notifications.KIND_LABELS)
    user = UserFactory()
    bare = {
        kind: Notification.objects.create(recipient=user, kind=kind, title=kind)
        for kind in ("assigned", "reminder", "session_invited")
    }
    others = {
        kind: Notification.objects.create(recipient=user, kind=kind, title=kind)
        for kind in ("portal.calendar_missing_year", "tests.test", "calendar_missing_year")
    }

    migration.prefix(apps, None)
    for kind, row in bare.items():
        assert Notification.objects.get(pk=row.pk).kind == f"enterprises.{kind}"
    for kind, row in others.items():
        assert Notification.objects.get(pk=row.pk).kind == kind

    migration.unprefix(apps, None)
    for kind, row in {**bare, **others}.items():
        assert Notification.objects.get(pk=row.pk).kind == kind
