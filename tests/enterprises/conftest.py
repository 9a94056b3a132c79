"""Fixtures of the appeal loop: the people around one appeal, and a clock that can be set."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def colleague(entrepreneur):
    """Another verified member of the entrepreneur's enterprise."""
    user = UserFactory(role="entrepreneur")
    MembershipFactory(user=user, enterprise=entrepreneur.enterprise, status="verified")
    return user


@pytest.fixture
def outsider(db):
    """A verified member of another enterprise."""
    from tests.factories import EnterpriseFactory

    user = UserFactory(role="entrepreneur")
    user.enterprise = EnterpriseFactory()
    MembershipFactory(user=user, enterprise=user.enterprise, status="verified")
    return user


@pytest.fixture
def handler_colleague(handler):
    return UserFactory(role="handler", department=handler.department)


@pytest.fixture
def head(handler):
    return UserFactory(role="department_head", department=handler.department)


@pytest.fixture
def other_handler(db):
    return UserFactory(role="handler", department=DepartmentFactory())


class Clock:
    """``timezone.now()`` pinned to a moment that tests move forward."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    """Start on Monday 2 November 2026 at 10:00, Shanghai time (a plain working week)."""
    start = dt.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)
    fake = Clock(start)
    with mock.patch("django.utils.timezone.now", fake):
        yield fake
