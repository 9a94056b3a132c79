"""``manage.py check --deploy`` with production settings reports nothing, and the HTTPS switch
(``SECURE_SSL=1``) does what the README says: redirect, HSTS, secure cookies, the container's
health check still answered over plain HTTP."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LXRvbmd4aW4tMzJieXQ="


def production(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        and not key.startswith("SECURE_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=FIELD_KEY,
        ALLOWED_HOSTS="tongxin.example.cn",
        TONGXIN_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_over_https(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        production(tmp_path, SECURE_SSL="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_with_preload_not_even_a_silenced_check(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        production(tmp_path, SECURE_SSL="1", SECURE_HSTS_PRELOAD="1"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_plain_http_in_production_is_reported(tmp_path):
    """Without SECURE_SSL the check says what is missing: nobody mistakes it for HTTPS."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production(tmp_path),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W008" in result.stderr + result.stdout  # no redirect to HTTPS


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/api/v1/me/")  # no template: production's static manifest is not built
health = client.get("/healthz")
secure = client.get("/api/v1/me/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location", "")],
    "health": health.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "csp": secure.get("Content-Security-Policy", ""),
}))
"""


@pytest.mark.parametrize("ssl", ["1", "0"])
def test_the_https_switch(tmp_path, ssl):
    result = run(
        ["-c", PROBE],
        production(tmp_path, SECURE_SSL=ssl, ALLOWED_HOSTS="testserver", SECURE_COOKIES="0"),
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    if ssl == "1":
        assert seen["redirect"] == [301, "https://testserver/api/v1/me/"]
        assert seen["hsts"] == "max-age=31536000; includeSubDomains"
        assert seen["cookies"] == [True, True]
    else:
        assert seen["redirect"][0] == 401
        assert seen["hsts"] == ""
        assert seen["cookies"] == [False, False]
    assert seen["health"] in (200, 503)  # answered, never redirected: the container's check
    assert "script-src 'self';" in seen["csp"]
