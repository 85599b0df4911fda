"""core/ is the bottom layer: it may import Django and the standard library,
never one of the project's apps (DESIGN.md §6)."""

import ast
from pathlib import Path

import core

OUR_APPS = {
    "accounts",
    "toolkit",
    "community",
    "caseload",
    "networks",
    "goals",
    "outcomes",
    "safety",
    "workflow",
    "connecting_people",
    "benchmarks",
}
CORE = Path(core.__file__).resolve().parent


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_core_imports_none_of_our_apps():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 8, files  # the modules are really being read
    offending = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module in _imported_modules(tree):
            if module.split(".")[0] in OUR_APPS:
                offending.append(f"{path.relative_to(CORE.parent)}: {module}")
    assert not offending, offending


def test_the_check_would_catch_an_app_import():
    tree = ast.parse("import caseload.access\nfrom goals import services\nfrom . import http\n")
    assert [m for m in _imported_modules(tree) if m.split(".")[0] in OUR_APPS] == [
        "caseload.access",
        "goals",
    ]
