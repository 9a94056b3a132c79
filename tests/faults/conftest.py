"""Fixtures of the fault tests: reference data back after a flush, waiting for another process,
and the people around an appeal with e-mail addresses (so every notification has a delivery)."""

import time

import pytest

from enterprises.reference import ensure_escalation_rules, ensure_reference_data
from portal.workdays import sync_from_chinesecalendar
from tests.factories import DepartmentFactory, EnterpriseFactory, MembershipFactory, UserFactory

# Every fault test commits for real (other threads and processes must see its rows), so the
# database is flushed after it and the reference rows are restored from the serialized copy.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for(condition, timeout: float = 30.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def reference_data():
    """A transactional test flushes the database: the ladder and the calendar come back."""
    sync_from_chinesecalendar()
    ensure_reference_data()
    ensure_escalation_rules()


@pytest.fixture
def robot_department(robot_server):
    return DepartmentFactory(webhook_kind="dingtalk", webhook_url=robot_server.url())


@pytest.fixture
def crew(robot_department):
    """Two dispatchers and a handler with e-mail addresses, and a verified entrepreneur."""
    entrepreneur = UserFactory(role="entrepreneur", email="boss@example.com")
    entrepreneur.enterprise = EnterpriseFactory()
    MembershipFactory(user=entrepreneur, enterprise=entrepreneur.enterprise, status="verified")
    return {
        "entrepreneur": entrepreneur,
        "dispatchers": [
            UserFactory(role="dispatcher", email=f"dispatcher{k}@example.gov.cn") for k in (1, 2)
        ],
        "handler": UserFactory(
            role="handler", department=robot_department, email="handler@example.gov.cn"
        ),
        "department": robot_department,
    }
