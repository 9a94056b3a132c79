"""Fixtures of the attack tests: a pinned clock, uploads in a throw-away folder, the world of
``world.py``, and a line in pytest's summary with the number of access cases tried."""

import datetime as dt
from unittest import mock

import pytest

from tests.security.report import SUMMARY, report
from tests.security.world import SHANGHAI, build_world


class Clock:
    """``timezone.now()`` pinned to a moment that the world moves forward."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    fake = Clock(dt.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI))
    with mock.patch("django.utils.timezone.now", fake):
        yield fake


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, clock):
    return build_world(clock)


@pytest.fixture
def report_cases(request):
    """``report_cases(line)``: a line for pytest's closing summary and var/security/."""
    return lambda line: report(request.config, line)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("security: cases tried")
        for line in lines:
            terminalreporter.write_line(line)
