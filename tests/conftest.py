"""Shared fixtures: the demo roles as factories, and the services switch of CONTRACT.md.

With ``REQUIRE_SERVICES=1`` a test that needs PostgreSQL or Redis fails when they are missing
instead of skipping, so CI can never pass by quietly testing less.
"""

import os

import pytest
from django.core.cache import cache

from portal import registry
from tests.factories import DepartmentFactory, EnterpriseFactory, MembershipFactory, UserFactory

# The tests' own kind of notification, for tests of the notification machinery itself: stored as
# ``tests.test``, shown in the API as kind ``test`` of app ``tests``.
TEST_KIND = registry.register_notification_kind("tests", "test", label="测试通知")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need_service(reason: str) -> None:
    """Skip for a missing service, or fail when REQUIRE_SERVICES=1."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        need_service("REDIS_URL is not set")
    return url


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of the test's own on a free port (see ``tests/redis_server.py``), which the
    test may stop and start; nothing else uses it, whatever REDIS_URL says."""
    from tests.redis_server import RedisServer, redis_server_binary

    if redis_server_binary() is None:
        need_service("redis-server is not installed")
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def robot_server():
    """A DingTalk/WeCom robot stand-in on 127.0.0.1 (see ``tests/robot_server.py``)."""
    from tests.robot_server import RobotServer

    server = RobotServer().start()
    yield server
    server.stop()


@pytest.fixture
def sms_gateway(settings):
    """An SMS gateway stand-in (answers ``{"code": 0}``), and the portal set to post to it."""
    from tests.robot_server import RobotServer

    server = RobotServer(default={"code": 0, "message": "OK"}).start()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.port}/sms/send"
    settings.SMS_GATEWAY_TOKEN = "gw-TOKEN-do-not-leak"
    settings.SMS_GATEWAY_SECRET = "gw-SECRET-do-not-leak"
    yield server
    server.stop()


@pytest.fixture
def postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        need_service("the database is not PostgreSQL (set DATABASE_URL)")
    return connection


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing every test user's password the production way would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def make_user(db):
    return UserFactory


@pytest.fixture
def dispatcher(db):
    return UserFactory(role="dispatcher")


@pytest.fixture
def leader(db):
    return UserFactory(role="leader")


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def handler(db, department):
    return UserFactory(role="handler", department=department)


@pytest.fixture
def entrepreneur(db):
    """A verified member of one enterprise (``entrepreneur.enterprise``)."""
    user = UserFactory(role="entrepreneur")
    user.enterprise = EnterpriseFactory()
    MembershipFactory(user=user, enterprise=user.enterprise, status="verified")
    return user


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test flushes the database; ids cached by ContentType must not outlive it."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _holiday_table_kept(monkeypatch):
    """The holiday table is re-read at most once a minute in production; in a slow test run that
    minute can end between two measured requests and add queries to one of them. Tests change
    the table through the admin or the services, which invalidate the copy themselves."""
    from portal import workdays

    monkeypatch.setattr(workdays, "_MAX_AGE_SECONDS", 24 * 60 * 60)
