"""The outbox and the tasks depend one way (issue 14, item 5): ``portal.tasks`` wraps the
services, ``portal.services.deliveries`` never imports the tasks — not at the top and not inside
a function — and gets its ``deliver`` task handed in by ``PortalConfig.ready``."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import tasks
from portal.services import deliveries

ROOT = Path(__file__).resolve().parents[2]
# The delivery path: the outbox and the notifications that fill it.
SERVICES = ("portal/services/deliveries.py", "portal/services/notifications.py")


def imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` statement of ``path`` names, at any depth (functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("source", SERVICES)
def test_the_delivery_services_never_import_the_tasks(source):
    assert "portal.tasks" not in imported_modules(ROOT / source)


def test_the_tasks_import_the_services():
    assert "portal.services" in imported_modules(ROOT / "portal" / "tasks.py")


# A fresh interpreter: record which module imports portal.tasks while Django starts and the
# outbox is imported; only the app's ready() (the place where things are put together) may.
PROBE = """
import builtins, json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
importers = []
real_import = builtins.__import__

def spy(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__")
    if level == 0 and (name == "portal.tasks" or (name == "portal" and "tasks" in (fromlist or ()))):
        importers.append(importer)
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = spy
import django
django.setup()
import portal.services.deliveries as deliveries
builtins.__import__ = real_import
import portal.tasks
print(json.dumps({
    "importers": importers,
    "wired": deliveries._deliver_task is portal.tasks.deliver,
}))
"""


def test_in_a_fresh_interpreter_only_the_apps_ready_imports_the_tasks():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report["importers"]) == {"portal.apps"}
    assert report["wired"] is True


def test_the_outbox_publishes_with_the_deliver_task():
    assert deliveries._deliver_task is tasks.deliver


def test_without_a_task_handed_in_the_outbox_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(deliveries, "_deliver_task", None)

    with pytest.raises(ImproperlyConfigured, match="deliveries_use_task"):
        deliveries._hand_over([1])
