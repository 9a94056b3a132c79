"""Settings fail fast on a malformed environment instead of running misconfigured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT"),
        ({"REMINDER_HOUR": "25"}, "REMINDER_HOUR"),
        ({"REMINDER_SWEEP_SECONDS": "often"}, "REMINDER_SWEEP_SECONDS"),
        ({"DJANGO_DEBUG": "0", "SECRET_KEY": "", "FIELD_ENCRYPTION_KEY": "x"}, "SECRET_KEY"),
        (
            {"DJANGO_DEBUG": "0", "SECRET_KEY": "s", "FIELD_ENCRYPTION_KEY": ""},
            "FIELD_ENCRYPTION_KEY",
        ),
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(env, named):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_good_environment_starts():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
