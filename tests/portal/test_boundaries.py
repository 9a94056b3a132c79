"""``portal`` is the bottom layer: it imports no domain app and names none of their URLs or
modules; apps plug in through ``portal.registry`` (README, "Architecture")."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("enterprises", "xiangxian", "alliances", "nonparty", "grassroots")

# Run in a fresh interpreter with no domain app installed: set Django up, import every module
# of portal, and report which domain modules ended up loaded.
PROBE = """
import importlib, importlib.util, json, pkgutil, sys
import django
from django.conf import settings
DOMAIN_APPS = tuple(sys.argv[1:])
# The settings file alone: importing the config package would set Celery (and settings) up.
spec = importlib.util.spec_from_file_location("project_settings", "config/settings.py")
project = importlib.util.module_from_spec(spec)
spec.loader.exec_module(project)
values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
values["INSTALLED_APPS"] = [
    app for app in project.INSTALLED_APPS if app.split(".")[0] not in DOMAIN_APPS
]
values["ROOT_URLCONF"] = "portal.api.urls"
settings.configure(**values)
django.setup()
import portal
failed = {}
for info in pkgutil.walk_packages(portal.__path__, "portal."):
    try:
        importlib.import_module(info.name)
    except Exception as exc:  # an import that needs a domain app fails here
        failed[info.name] = repr(exc)
domain = sorted(
    name for name in sys.modules if name.split(".")[0] in DOMAIN_APPS
)
print(json.dumps({"domain": domain, "failed": failed}))
"""


def test_every_portal_module_imports_without_a_domain_app():
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *DOMAIN_APPS],
        cwd=ROOT,
        env=_environ(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}
    assert report["domain"] == []


def _environ() -> dict:
    import os

    return {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}


NAMES_A_DOMAIN = re.compile(r"\b(?:" + "|".join(DOMAIN_APPS) + r")[.:]|\bappeals:")


def _portal_sources():
    yield from (ROOT / "portal").rglob("*.py")
    yield ROOT / "templates" / "base.html"
    yield from (ROOT / "templates" / "portal").rglob("*.html")


@pytest.mark.parametrize(
    "path", sorted(_portal_sources()), ids=lambda path: str(path.relative_to(ROOT))
)
def test_portal_names_no_domain_module_or_url(path):
    hits = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAMES_A_DOMAIN.search(line)
    ]
    assert hits == []


def test_the_scan_catches_what_it_is_for():
    # The pattern is the whole check: make sure it does see the three ways of naming an app.
    assert NAMES_A_DOMAIN.search("from enterprises.models import Appeal")
    assert NAMES_A_DOMAIN.search("{% url 'appeals:inbox' %}")
    assert NAMES_A_DOMAIN.search('reverse("xiangxian:list")')
    assert not NAMES_A_DOMAIN.search("the enterprises a user acts for")
