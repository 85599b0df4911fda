"""safety/ sits after caseload and goals (DESIGN.md §6): it may import the apps
to its left, never outcomes, workflow or connecting_people; and no earlier app
imports it."""

import ast
from pathlib import Path

import pytest

import safety

ROOT = Path(safety.__file__).resolve().parent.parent
LATER = {"outcomes", "workflow", "connecting_people", "benchmarks"}
EARLIER = ["core", "accounts", "toolkit", "community", "caseload", "networks", "goals"]


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_safety_imports_no_later_app():
    files = sorted((ROOT / "safety").rglob("*.py"))
    assert len(files) >= 10
    found = [(p.name, m) for p in files for m in _imports(p) if m in LATER]
    assert found == []


@pytest.mark.parametrize("app", EARLIER)
def test_earlier_apps_do_not_import_safety(app):
    files = sorted((ROOT / app).rglob("*.py"))
    assert files
    assert [p.name for p in files if "safety" in set(_imports(p))] == []
