"""The conditional save: one UPDATE … WHERE version = v, nothing written when stale."""

import ast
import re
from pathlib import Path

import pytest
from django.http import Http404

from caseload.models import ServiceUser
from core.conflicts import StaleEdit, save_if_current
from goals.models import Step
from tests.goals.factories import GoalFactory, StepFactory

pytestmark = pytest.mark.django_db


def test_a_current_version_is_saved_and_moves_on(person):
    before = person.updated_at
    new = save_if_current(ServiceUser, pk=person.pk, version=1, values={"pronouns": "they/them"})
    person.refresh_from_db()
    assert new == 2
    assert (person.pronouns, person.version) == ("they/them", 2)
    assert person.updated_at > before


def test_a_stale_version_raises_with_the_row_as_saved_and_writes_nothing(person):
    ServiceUser.objects.filter(pk=person.pk).update(pronouns="she/her", version=3)
    with pytest.raises(StaleEdit) as caught:
        save_if_current(ServiceUser, pk=person.pk, version=1, values={"pronouns": "he/him"})
    assert caught.value.current.pronouns == "she/her"
    assert caught.value.current.version == 3
    person.refresh_from_db()
    assert (person.pronouns, person.version) == ("she/her", 3)


def test_a_missing_version_is_stale_too(person):
    with pytest.raises(StaleEdit):
        save_if_current(ServiceUser, pk=person.pk, version=None, values={"pronouns": "x"})
    person.refresh_from_db()
    assert (person.pronouns != "x", person.version) == (True, 1)


def test_with_no_values_it_claims_the_row_for_a_full_save(person):
    assert save_if_current(ServiceUser, pk=person.pk, version=1) == 2
    with pytest.raises(StaleEdit):
        save_if_current(ServiceUser, pk=person.pk, version=1)
    assert ServiceUser.objects.get(pk=person.pk).version == 2


def test_a_row_deleted_meanwhile_is_a_404(person):
    step = StepFactory(goal=GoalFactory(service_user=person))
    Step.objects.filter(pk=step.pk).delete()
    with pytest.raises(Http404):
        save_if_current(Step, pk=step.pk, version=1, values={"what": "Gone"})


def test_no_app_has_its_own_edit_conflict_exception():
    """Every app raises and catches core.conflicts.StaleEdit; none defines its own."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for app in ("accounts", "toolkit", "caseload", "networks", "goals", "workflow"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and re.search("Stale|Conflict", node.name):
                    found.append(f"{path.relative_to(root)}: {node.name}")
    assert found == []
