"""Notification kinds are registered per app and stored namespaced (``"<app>.<name>"``), so two
apps' kinds of the same name never mix; the API shows the name within the app and the app."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from portal import registry
from portal.models import Notification
from portal.services import Message, notify, notify_many

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/notifications/"


@pytest.fixture
def kinds(monkeypatch):
    """The registry of kinds, restored after the test (what the apps registered stays)."""
    monkeypatch.setattr(registry, "_notification_kinds", dict(registry._notification_kinds))
    return registry


def test_a_kind_is_stored_with_its_app(kinds, dispatcher):
    invited = kinds.register_notification_kind("app_one", "invited", label="邀请")

    (notification,) = notify(recipients=[dispatcher], kind=invited, title="请参加")

    assert invited.full == str(invited) == "app_one.invited"
    assert Notification.objects.get(pk=notification.pk).kind == "app_one.invited"
    assert (notification.kind_app, notification.kind_name) == ("app_one", "invited")
    assert notification.kind_label == "邀请"


def test_two_apps_may_have_a_kind_of_the_same_name(kinds, client, dispatcher):
    kinds.register_notification_kind("app_one", "invited", label="活动邀请")
    kinds.register_notification_kind("app_two", "invited", label="座谈邀请")

    notify(recipients=[dispatcher], kind="app_one.invited", title="一")
    notify(recipients=[dispatcher], kind="app_two.invited", title="二")

    stored = Notification.objects.filter(recipient=dispatcher).order_by("pk")
    assert [n.kind for n in stored] == ["app_one.invited", "app_two.invited"]
    assert [str(n.kind_label) for n in stored] == ["活动邀请", "座谈邀请"]
    client.force_login(dispatcher)
    rows = client.get(API_URL).json()["results"]
    assert sorted((row["kind"], row["app"]) for row in rows) == [
        ("invited", "app_one"),
        ("invited", "app_two"),
    ]


def test_registering_a_kind_twice_raises(kinds):
    kinds.register_notification_kind("app_one", "invited", label="邀请")

    with pytest.raises(ImproperlyConfigured, match="app_one.invited"):
        kinds.register_notification_kind("app_one", "invited", label="又一个邀请")
    # The same declaration again (apps made ready a second time) is no second claim.
    kinds.register_notification_kind("app_one", "invited", label="邀请")


def test_the_portal_and_the_tests_kinds_are_registered_once():
    # Registering again what an app registered at start-up raises as well.
    with pytest.raises(ImproperlyConfigured):
        registry.register_notification_kind("portal", "calendar_missing_year", label="x")
    assert registry.notification_kind("portal.calendar_missing_year") is not None
    assert registry.notification_kind("calendar_missing_year") is None


@pytest.mark.parametrize(
    ("app", "name"),
    [("app_one", "has.dot"), ("App", "invited"), ("app_one", ""), ("app_one", "x" * 40)],
)
def test_a_malformed_or_too_long_kind_raises(kinds, app, name):
    with pytest.raises(ImproperlyConfigured):
        kinds.register_notification_kind(app, name, label="x")


@pytest.mark.parametrize("kind", ["test", "tests.nothing", "nothing.test", ""])
def test_notify_refuses_a_kind_nobody_registered_and_records_nothing(dispatcher, kind):
    with pytest.raises(ValueError, match="register_notification_kind"):
        notify(recipients=[dispatcher], kind=kind, title="拼错了")
    with pytest.raises(ValueError):
        notify_many(
            [
                Message(recipients=[dispatcher], kind="tests.test", title="好的"),
                Message(recipients=[dispatcher], kind=kind, title="拼错了"),
            ]
        )

    assert not Notification.objects.exists()


def test_the_api_shows_the_kind_within_its_app(client, dispatcher, leader):
    notify(recipients=[dispatcher], kind="tests.test", title="自己的")
    notify(recipients=[leader], kind="tests.test", title="别人的")
    client.force_login(dispatcher)

    (row,) = client.get(API_URL).json()["results"]

    assert (row["kind"], row["app"]) == ("test", "tests")


def test_a_row_without_an_app_shows_its_kind_and_no_app(client, dispatcher):
    # A row written before the namespaces and left by an app since removed.
    Notification.objects.create(recipient=dispatcher, kind="old_kind", title="旧的")
    client.force_login(dispatcher)

    (row,) = client.get(API_URL).json()["results"]

    assert (row["kind"], row["app"]) == ("old_kind", None)


def test_the_migration_namespaces_the_portals_own_kind_and_back(dispatcher):
    migration = importlib.import_module("portal.migrations.0008_namespaced_notification_kinds")
    old = Notification.objects.create(
        recipient=dispatcher, kind="calendar_missing_year", title="旧"
    )
    other = Notification.objects.create(recipient=dispatcher, kind="tests.test", title="别的")

    migration.prefix(apps, None)
    assert Notification.objects.get(pk=old.pk).kind == "portal.calendar_missing_year"
    assert Notification.objects.get(pk=other.pk).kind == "tests.test"

    migration.unprefix(apps, None)
    assert Notification.objects.get(pk=old.pk).kind == "calendar_missing_year"
    assert Notification.objects.get(pk=other.pk).kind == "tests.test"
