"""Person-data versions: a number per person that the database moves on at
every insert, update or delete of anything about them.

A page part worked out from a person's records (the board's cards, say) can
then be kept and reused for as long as the versions of the people it shows
have not moved, and no write path can forget to say so: not a queryset
``update()``, a ``bulk_create``, the conditional save of ``core.conflicts``,
an import or an erasure. The app never writes the numbers; triggers do.

Which tables: every model registered in :mod:`caseload.persondata` with
``versioned`` (all but the access log, which each view adds to), with the
automatic many-to-many tables of their fields, and ``ServiceUser`` itself
(:func:`caseload.persondata.versioned_models`). A row's people are found the
way :func:`caseload.persondata.lookups_to_people` finds the models: along
its foreign keys (and its many-to-many fields) to ``ServiceUser``. The first
step is read from the row itself, so a deleted row still names its person;
later steps read the rows it points to.

The triggers are (re)installed after ``migrate`` (and ``flush``) whenever the
set of them the models call for differs from the one in the database: their
names carry a digest of their SQL. PostgreSQL runs one statement-level
trigger per table and event over the statement's transition tables; SQLite
(the zero-setup default) a row-level one. Both end in the same upsert:
``version = version + 1`` for each person touched, in order of person.
"""

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connections
from django.db.models.expressions import RawSQL

from core.remember import fingerprint

from . import persondata
from .models import PersonDataVersion

# Every name in the SQL below comes from the models' metadata (quoted) or this
# module; no value from a request or a record ever reaches it.
PREFIX = "cp_pdv_"
EVENTS = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Step:
    """The first step from a row of a model towards its people: a column of
    the row naming a row of ``target`` (``lookup`` from there to ``ServiceUser``'s
    primary key), or, for a many-to-many field of the model, the field's
    ``lookup`` from the model itself (read from the table, so after the row exists)."""

    column: str
    target: object
    lookup: str
    from_table: bool = False


def _service_user():
    return apps.get_model("caseload", "ServiceUser")


def steps_for(model, lookups=None):
    """Every :class:`Step` from a row of ``model`` to its people."""
    lookups = lookups or persondata.lookups_to_people()
    if model is _service_user():
        return [Step(model._meta.pk.column, model, "pk")]
    steps = []
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and field.related_model in lookups):
            continue
        rest = lookups[field.related_model]
        if field.many_to_many:
            lookup = field.name if rest == "pk" else f"{field.name}__{rest}"
            steps.append(Step(model._meta.pk.column, model, lookup, from_table=True))
        else:
            steps.append(Step(field.column, field.related_model, rest))
    return steps


def _quote(connection, name):
    return connection.ops.quote_name(name)


def _people_sql(connection, step, rows):
    """SQL selecting the person ids a step reaches from ``rows(column)`` (SQL
    selecting one column of the changed rows)."""
    ids = rows(step.column)
    if step.lookup == "pk" and not step.from_table:
        return ids
    changed = RawSQL(ids, [])  # noqa: S611
    query = step.target._base_manager.filter(pk__in=changed).order_by().values_list(step.lookup)
    sql, params = query.query.get_compiler(connection=connection).as_sql()
    if params:
        raise ValueError(f"The people of {step.target._meta.label} need parameters: {params}")
    return sql


def _upsert(connection, sources):
    """The statement moving on the version of each person some ``sources`` (SQL
    selecting person ids) reach, if they still exist, in order of person."""
    table = _quote(connection, PersonDataVersion._meta.db_table)
    people = _quote(connection, _service_user()._meta.db_table)
    reached = " OR ".join(f"{_quote(connection, 'id')} IN ({sql})" for sql in sources)
    return (
        f"INSERT INTO {table} (person_id, version) "  # noqa: S608
        f"SELECT {_quote(connection, 'id')}, 1 FROM {people} WHERE {reached} "
        f"ORDER BY {_quote(connection, 'id')} "
        f"ON CONFLICT (person_id) DO UPDATE SET version = {table}.version + 1"
    )


def _postgresql(connection, model, steps, event, name):
    table = _quote(connection, model._meta.db_table)
    aliases = {"INSERT": ["cp_new"], "UPDATE": ["cp_old", "cp_new"], "DELETE": ["cp_old"]}[event]
    sources = [
        _people_sql(
            connection,
            step,
            lambda column, a=alias: f"SELECT {_quote(connection, column)} FROM {a}",  # noqa: S608
        )
        for alias in aliases
        for step in steps
        if not (step.from_table and alias == "cp_old")
    ]
    referencing = " ".join(
        f"{'OLD' if alias == 'cp_old' else 'NEW'} TABLE AS {alias}" for alias in aliases
    )
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_upsert(connection, sources)}; RETURN NULL; END $$",
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def _sqlite(connection, model, steps, event, name):
    table = _quote(connection, model._meta.db_table)
    aliases = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
    sources = [
        _people_sql(
            connection, step, lambda column, a=alias: f"SELECT {a}.{_quote(connection, column)}"
        )
        for alias in aliases
        for step in steps
        if not (step.from_table and alias == "OLD")
    ]
    return [
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
        f"{_upsert(connection, sources)}; END"
    ]


BUILDERS = {"postgresql": _postgresql, "sqlite": _sqlite}


def trigger_sql(connection):
    """``{trigger name: [statements]}`` for every versioned table and event.
    The names carry a digest of the whole set, so a change to any of it (a new
    model, a new foreign key) replaces them all."""
    build = BUILDERS[connection.vendor]
    lookups = persondata.lookups_to_people()
    planned = []
    for number, model in enumerate(persondata.versioned_models()):
        steps = steps_for(model, lookups)
        if not steps:
            raise ValueError(f"{model._meta.label} is about people but reaches none of them.")
        for event in EVENTS:
            planned.append((f"{number}_{event[:3].lower()}", model, steps, event))
    digest = hashlib.sha256(
        repr([(n, m._meta.db_table, s, e) for n, m, s, e in planned]).encode()
    ).hexdigest()[:10]
    return {
        f"{PREFIX}{digest}_{n}": build(connection, model, steps, event, f"{PREFIX}{digest}_{n}")
        for n, model, steps, event in planned
    }


def installed_triggers(connection):
    """``{trigger name: table}`` of this module's triggers in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                [PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [PREFIX + "%"],
            )
        return dict(cursor.fetchall())


def install(using="default"):
    """Install the triggers the models call for, replacing any others of this
    module. Does nothing when they are all there already. Returns how many
    triggers were installed."""
    connection = connections[using]
    if connection.vendor not in BUILDERS:
        return 0
    wanted = trigger_sql(connection)
    present = installed_triggers(connection)
    if set(present) == set(wanted):
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Dropping each function drops its trigger; a function whose table
            # has gone is dropped too.
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [PREFIX + "%"])
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
        else:
            for name in present:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statements in wanted.values():
            for statement in statements:
                cursor.execute(statement)
    return len(wanted)


def install_after_migrate(sender, using="default", **kwargs):
    """``post_migrate`` receiver (``caseload.apps``)."""
    install(using)


def data_fingerprint(people, *parts):
    """A fingerprint (:func:`core.remember.fingerprint`) of which people are in
    ``people`` (a ServiceUser queryset), the version of each one's records, and
    ``parts`` (today's date, say): it changes when any of them does. One query."""
    return fingerprint_of(versions_of(people), *parts)


def fingerprint_of(versions, *parts):
    """:func:`data_fingerprint` from versions already read (``{pk: version}``)."""
    return fingerprint(sorted(versions.items()), *parts)


def with_data_version(people):
    """A ServiceUser queryset annotated with ``data_version`` (0 for a person
    whose records have not changed since the versions began), read in the same
    query as the rows, so a fingerprint made from it is never newer than them."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    version = PersonDataVersion.objects.filter(person_id=OuterRef("pk")).values("version")
    return people.annotate(data_version=Coalesce(Subquery(version[:1]), Value(0)))


def versions_of(people):
    """``{person pk: version}`` for a ServiceUser queryset."""
    return dict(with_data_version(people.order_by()).values_list("pk", "data_version"))
