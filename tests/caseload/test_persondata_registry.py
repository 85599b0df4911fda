"""The one registry of person data: every model about a person is covered."""

import pytest
from django.apps import apps
from django.db import transaction

from caseload import persondata
from caseload.models import AuditEvent, ServiceUser, Session


def test_every_model_with_a_path_to_a_person_is_covered_by_a_registered_handler():
    assert persondata.uncovered_models() == []


def test_the_walk_reaches_models_through_chains_and_many_to_many_tables():
    reached = {model._meta.label for model in persondata.models_about_people()}
    assert {
        "caseload.ServiceUser",
        "caseload.Session",
        "caseload.AuditEvent",
        "caseload.SubjectAccessCopy",  # through its request, not directly
        "networks.Snapshot",
        "networks.Tie",
        "goals.Rating",  # goal → person and review → person
        "goals.SessionGoal",
        "goals.Goal_members",  # Django's many-to-many table
        "caseload.Session_resources_used",
        "caseload.ServiceUser_co_workers",
    } <= reached
    assert "toolkit.Resource" not in reached
    assert "accounts.User" not in reached
    assert "workflow.ReminderDigest" not in reached  # per worker, not about a person


def test_a_handler_that_forgets_a_model_is_reported():
    without_sessions = [
        persondata.Handler(
            h.name, tuple(m for m in h.models if m is not Session), h.export, h.erase
        )
        for h in persondata.handlers()
    ]
    missing = persondata.uncovered_models(without_sessions)
    assert "caseload.Session" in missing
    # The session's many-to-many table is only covered through its model.
    assert "caseload.Session_resources_used" in missing


def test_an_app_without_a_handler_is_reported():
    others = [h for h in persondata.handlers() if h.name != "goals"]
    missing = persondata.uncovered_models(others)
    assert {"goals.Goal", "goals.Step", "goals.Review", "goals.Rating"} <= set(missing)


def test_each_app_registers_its_own_section_in_order():
    names = [handler.name for handler in persondata.handlers()]
    assert names[:4] == ["record", "access_log", "network", "goals"]
    assert AuditEvent in persondata.handlers()[1].models
    assert ServiceUser in persondata.handlers()[0].models


def test_registering_a_name_twice_with_other_functions_is_refused():
    handler = persondata.handlers()[0]
    persondata.register(  # the same again is harmless (ready() may run twice)
        handler.name,
        models=handler.models,
        export=handler.export,
        erase=handler.erase,
        files=handler.files,
        label=handler.label,
        erase_many=handler.erase_many,
    )
    with pytest.raises(ValueError, match="already registered"):
        persondata.register(
            handler.name, models=[], export=lambda su, **kw: {}, erase=lambda su: None
        )


def test_register_checks_its_functions():
    with pytest.raises(TypeError):
        persondata.register("broken", models=[], export="not a function", erase=lambda su: None)
    with pytest.raises(ValueError):
        persondata.register("", models=[], export=lambda su, **kw: {}, erase=lambda su: None)
    assert "broken" not in [h.name for h in persondata.handlers()]


@pytest.mark.django_db(transaction=True)
def test_erasers_refuse_to_run_outside_a_transaction(person):
    with pytest.raises(RuntimeError, match="transaction"):
        persondata.erase_person(person)
    with transaction.atomic():
        persondata.erase_person(person)
    assert not ServiceUser.objects.filter(pk=person.pk).exists()


def test_the_registry_imports_no_other_app():
    import ast
    from pathlib import Path

    source = Path(persondata.__file__).read_text()
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= {"dataclasses", "django"}
    assert apps.get_app_config("caseload")  # the registry is caseload's
