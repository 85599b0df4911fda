"""The workflow reads the other apps through their selectors, services, access
rules and choices, never their models (DESIGN.md §6)."""

import ast
from pathlib import Path

import pytest

import workflow

OUR_APPS = {
    "core",
    "accounts",
    "toolkit",
    "community",
    "caseload",
    "networks",
    "goals",
    "outcomes",
    "safety",
}
WORKFLOW_DIR = Path(workflow.__file__).parent
SOURCES = sorted(WORKFLOW_DIR.rglob("*.py"))


def _name(path):
    return path.relative_to(WORKFLOW_DIR).as_posix()


def model_imports(source):
    """``(line, module)`` for every import of one of our apps' ``models`` in ``source``:
    ``import caseload.models``, ``from caseload.models import …``,
    ``from caseload import models`` and ``from caseload.models.x import …``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] in OUR_APPS and parts[1] == "models":
                found.append((node.lineno, module))
                break
    return found


def test_the_check_finds_every_form_of_a_model_import():
    source = (
        "import caseload.models\n"
        "from goals.models import Goal\n"
        "from networks import models\n"
        "from accounts import models as account_models, selectors\n"
        "from caseload.selectors import sessions_for\n"
        "from workflow.models import ReminderDigest\n"
        "from .models import ReminderDigest\n"
        "from django.db import models\n"
    )
    assert [line for line, _module in model_imports(source)] == [1, 2, 3, 4]


def test_the_workflow_has_python_files_to_check():
    names = {_name(path) for path in SOURCES}
    assert {"facts.py", "timeline.py", "dashboard.py", "views.py"} <= names
    assert any(name.startswith("management/") for name in names)


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_workflow_module_imports_no_other_apps_models(path):
    found = model_imports(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.name} imports another app's models: {found}"
