"""The one registry of person data: what each app holds about a person, how to
export it and how to erase it.

Every app that stores anything about a :class:`caseload.models.ServiceUser`
registers here from its ``AppConfig.ready()``::

    from caseload import persondata

    persondata.register(
        "outcomes",                  # a unique section name
        models=[Result, Answer],     # every model of the app holding anything about a person
        export=export_person,        # export_person(service_user, *, reveal_third_parties=False)
        erase=erase_person,          # erase_person(service_user) -> None
        files=person_files,          # optional: person_files(service_user) -> [(name, FieldFile)]
        label="Outcome measures",    # optional heading for the readable copy
        erase_many=erase_people,     # optional: erase_people(service_users) -> None, the same
                                     #   for a batch at once (used by the retention schedule)
        versioned=True,              # optional: False for rows no page of the record shows
                                     #   (the access log), whose writes leave the person's
                                     #   data version alone (caseload/data_versions.py)
    )

- Exporters return plain JSON-able structures (str, int, float, bool, None,
  lists, dicts; dates as ISO strings; choices as their labels, in plain words).
  Third parties (network members and anyone else named) are pseudonymised
  unless called with ``reveal_third_parties=True``.
- Erasers delete every row of their app about the person. They run inside the
  one erasure transaction, in reverse registration order (later apps first,
  so a row is gone before the row it points to), and must not commit.
- ``erase_many`` is optional: an app whose eraser can work on a whole batch of
  people at once (a few set-based queries instead of a few per person) gives it
  and the retention schedule uses it; otherwise ``erase`` runs for each person.
- Files are listed before the erasers run and deleted after the transaction commits.

Imports stay one-way: the apps import this module; it imports none of them.
:func:`uncovered_models` lists models with a foreign-key path to ``ServiceUser``
that no handler names; a test fails while that list is not empty.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

__all__ = [
    "Handler",
    "register",
    "handlers",
    "export_person",
    "person_files",
    "erase_person",
    "erase_people",
    "lookups_to_people",
    "models_about_people",
    "uncovered_models",
    "versioned_models",
]


@dataclass(frozen=True)
class Handler:
    name: str
    models: tuple
    export: object
    erase: object
    files: object = None
    label: str = ""
    erase_many: object = None
    versioned: bool = True

    @property
    def heading(self):
        return self.label or self.name.replace("_", " ").capitalize()


_handlers = {}


def register(name, *, models, export, erase, files=None, label="", erase_many=None, versioned=True):
    """Register an app's exporter and eraser under the section ``name``.

    Registering the same name again with the same functions is harmless (an
    app's ``ready()`` may run twice in tests); with different ones it is an error.
    """
    if not name or not isinstance(name, str):
        raise ValueError("A person-data section needs a name.")
    optional = [hook for hook in (files, erase_many) if hook is not None]
    if not callable(export) or not callable(erase) or not all(map(callable, optional)):
        raise TypeError(
            f"{name}: export, erase (and files, erase_many if given) must be functions."
        )
    handler = Handler(name, tuple(models), export, erase, files, label, erase_many, versioned)
    existing = _handlers.get(name)
    if existing is not None and existing != handler:
        raise ValueError(f"A person-data section called {name!r} is already registered.")
    _handlers[name] = handler
    return handler


def handlers():
    """The registered handlers, in registration order."""
    return list(_handlers.values())


def export_person(service_user, *, reveal_third_parties=False):
    """Everything held about the person: ``{name: {"label": ..., "data": ...}}``
    in registration order."""
    return {
        handler.name: {
            "label": handler.heading,
            "data": handler.export(service_user, reveal_third_parties=reveal_third_parties),
        }
        for handler in handlers()
    }


def person_files(service_user):
    """Uploaded files about the person: ``[(section name, name in the copy, FieldFile)]``."""
    found = []
    for handler in handlers():
        if handler.files is None:
            continue
        for name, field_file in handler.files(service_user):
            found.append((handler.name, name, field_file))
    return found


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Erasers must run inside the erasure's transaction.")


def erase_person(service_user):
    """Run every registered eraser for the person, later apps first. Must be
    called inside a transaction (the caller's: the erasure is all or nothing)."""
    _require_transaction()
    for handler in reversed(handlers()):
        handler.erase(service_user)


def erase_people(service_users):
    """:func:`erase_person` for a batch: each app's ``erase_many`` where it has
    one, else its ``erase`` for each person. Inside the caller's transaction."""
    _require_transaction()
    service_users = list(service_users)
    for handler in reversed(handlers()):
        if handler.erase_many is not None:
            handler.erase_many(service_users)
        else:
            for service_user in service_users:
                handler.erase(service_user)


def _field_to(model, targets):
    """The first relation of ``model`` (foreign key, one-to-one or many-to-many)
    to one of ``targets``, or None."""
    for field in model._meta.get_fields():
        if (
            field.is_relation
            and field.concrete
            and field.related_model in targets
            and (field.many_to_one or field.one_to_one or field.many_to_many)
        ):
            return field
    return None


def lookups_to_people():
    """``{model: lookup}`` for every installed model with a foreign-key path to
    ``ServiceUser`` (through any chain of foreign keys, one-to-one or
    many-to-many fields, including Django's automatic many-to-many tables):
    an ORM lookup from it to ``ServiceUser``'s primary key, along its first
    such relation ("pk" for ``ServiceUser`` itself)."""
    service_user = apps.get_model("caseload", "ServiceUser")
    found = {service_user: "pk"}
    candidates = sorted(
        (m for m in apps.get_models(include_auto_created=True) if m is not service_user),
        key=lambda model: model._meta.label,
    )
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in found:
                continue
            field = _field_to(model, found)
            if field is not None:
                rest = found[field.related_model]
                found[model] = field.name if rest == "pk" else f"{field.name}__{rest}"
                grew = True
    return found


def models_about_people():
    """Every installed model with a foreign-key path to ``ServiceUser``
    (:func:`lookups_to_people`), and ``ServiceUser`` itself."""
    return set(lookups_to_people())


def _covered(model, named):
    # Django's automatic many-to-many table goes with the model declaring the field.
    return model in named or model._meta.auto_created in named


def uncovered_models(registered=None):
    """Models about people that no registered handler lists (sorted labels)."""
    registered = handlers() if registered is None else registered
    named = {model for handler in registered for model in handler.models}
    return sorted(
        model._meta.label for model in models_about_people() if not _covered(model, named)
    )


def versioned_models():
    """The models whose writes move a person's data version: every model of a
    handler registered with ``versioned`` (the default), with the automatic
    many-to-many tables of their fields, and ``ServiceUser`` itself."""
    named = {model for handler in handlers() if handler.versioned for model in handler.models}
    service_user = apps.get_model("caseload", "ServiceUser")
    return sorted(
        (
            model
            for model in models_about_people()
            if model is service_user or _covered(model, named)
        ),
        key=lambda model: model._meta.label,
    )
