"""The layers of README's architecture: each domain app stands on portal only, never on
another domain app (portal's own boundary is tests/portal/test_boundaries.py)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = ("enterprises", "xiangxian", "alliances", "nonparty", "grassroots")


def imported_apps(path: Path) -> set[str]:
    """Top-level packages ``path`` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def crossings(app: str) -> list[str]:
    others = set(DOMAIN_APPS) - {app}
    return sorted(
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(imported_apps(path) & others))}"
        for path in (ROOT / app).rglob("*.py")
        if imported_apps(path) & others
    )


@pytest.mark.parametrize("app", [app for app in DOMAIN_APPS if (ROOT / app).is_dir()])
def test_a_domain_app_imports_no_other_domain_app(app):
    assert crossings(app) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from enterprises.models import Appeal\n", encoding="utf-8")
    assert imported_apps(module) == {"enterprises"}
