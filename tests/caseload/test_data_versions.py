"""Person-data versions move on at every write to anything about a person,
whatever the write path, and only for the people written about."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from caseload import data_versions, persondata
from caseload.models import AuditEvent, PersonDataVersion, ServiceUser, Session
from goals.models import Step
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.goals.factories import GoalFactory, StepFactory
from tests.toolkit.factories import ResourceFactory


def version(person):
    return data_versions.versions_of(ServiceUser.objects.filter(pk=person.pk))[person.pk]


@pytest.fixture
def two(team_a, owner):
    return (
        ServiceUserFactory(team=team_a, allocated_worker=owner),
        ServiceUserFactory(team=team_a, allocated_worker=owner),
    )


def test_every_versioned_table_has_a_trigger_for_each_write(db):
    installed = data_versions.installed_triggers(connection)
    wanted = data_versions.trigger_sql(connection)
    assert set(installed) == set(wanted)
    tables = {model._meta.db_table for model in persondata.versioned_models()}
    assert set(installed.values()) == tables
    assert len(installed) == 3 * len(tables)
    # The access log is not versioned: each view adds a row to it.
    assert AuditEvent._meta.db_table not in tables
    assert data_versions.install() == 0  # already there: nothing to do


def test_a_new_person_starts_at_one_and_every_change_moves_it_on(two):
    first, second = two
    assert version(first) == 1
    ServiceUser.objects.filter(pk=first.pk).update(phone="07700900123")
    assert version(first) == 2
    assert version(second) == 1


def test_orm_saves_updates_bulk_writes_and_deletes_all_count(two, owner):
    person, other = two
    start, other_start = version(person), version(other)
    session = SessionFactory(service_user=person, author=owner)
    assert version(person) == start + 1
    Session.objects.filter(pk=session.pk).update(duration_minutes=F("duration_minutes") + 5)
    assert version(person) == start + 2
    Session.objects.bulk_create(
        [
            Session(service_user=person, author=owner, date=session.date, duration_minutes=30)
            for _ in range(3)
        ]
    )
    # One statement on PostgreSQL, one row at a time on SQLite: it moves on either way.
    assert version(person) > start + 2
    before = version(person)
    Session.objects.filter(service_user=person).delete()
    assert version(person) > before
    assert version(other) == other_start


def test_moving_a_row_to_another_person_moves_both(two, owner):
    person, other = two
    session = SessionFactory(service_user=person, author=owner)
    start, other_start = version(person), version(other)
    Session.objects.filter(pk=session.pk).update(service_user=other)
    assert version(person) == start + 1
    assert version(other) == other_start + 1


def test_rows_reached_through_other_rows_move_their_person(two):
    person, other = two
    goal = GoalFactory(service_user=person)
    start, other_start = version(person), version(other)
    step = StepFactory(goal=goal)
    assert version(person) == start + 1
    Step.objects.filter(pk=step.pk).update(what="Go to the walking group")
    assert version(person) == start + 2
    step.delete()  # the step names its goal after it has gone
    assert version(person) == start + 3
    assert version(other) == other_start


def test_many_to_many_rows_move_their_person(two, owner, colleague):
    person, other = two
    start = version(person)
    person.co_workers.add(colleague)
    assert version(person) == start + 1
    session = SessionFactory(service_user=person, author=owner)
    after_session = version(person)
    session.resources_used.add(ResourceFactory())
    assert version(person) == after_session + 1
    person.co_workers.clear()
    assert version(person) == after_session + 2
    assert version(other) == 1


def test_viewing_a_record_leaves_its_version_alone(two, owner):
    person, _ = two
    start = version(person)
    AuditEvent.objects.create(actor=owner, action="view", service_user=person, object_type="person")
    assert version(person) == start


def test_a_deleted_person_leaves_no_one_else_moved(two):
    person, other = two
    other_start = version(other)
    ServiceUser.objects.filter(pk=person.pk).delete()
    assert version(other) == other_start


@pytest.mark.django_db
def test_a_write_to_any_versioned_table_moves_the_people_of_that_row():
    """Over the demo data (every app seeds some): for one row of each versioned
    model, a no-op update moves on exactly the people its lookup reaches."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
    lookups = persondata.lookups_to_people()
    checked = 0
    for model in persondata.versioned_models():
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        lookup = lookups[model]
        people = set(model._base_manager.filter(pk=row.pk).values_list(lookup, flat=True)) - {None}
        before = dict(PersonDataVersion.objects.values_list("person_id", "version"))
        pk_name = model._meta.pk.name
        model._base_manager.filter(pk=row.pk).update(**{pk_name: F(pk_name)})
        after = dict(PersonDataVersion.objects.values_list("person_id", "version"))
        moved = {pk for pk, number in after.items() if number != before.get(pk)}
        assert people <= moved, model._meta.label
        assert moved <= people | _also_reached(model, row, lookups), model._meta.label
        checked += 1
    assert checked >= 15


def _also_reached(model, row, lookups):
    """People reached along the row's other paths (a model may point at a
    person in more than one way, as a group session's rows do)."""
    reached = set()
    for step in data_versions.steps_for(model, lookups):
        if step.from_table:
            values = model._base_manager.filter(pk=row.pk).values_list(step.lookup, flat=True)
        else:
            column_value = getattr(row, _attname(model, step.column))
            values = step.target._base_manager.filter(pk=column_value).values_list(
                step.lookup, flat=True
            )
        reached |= set(values) - {None}
    return reached


def _attname(model, column):
    return next(f.attname for f in model._meta.concrete_fields if f.column == column)
