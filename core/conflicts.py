"""Edit conflicts: no lost updates, one way for every versioned record.

A versioned model has an integer ``version`` that every save bumps. An edit form
carries the version it was loaded at; the save is a single
``UPDATE … WHERE pk = p AND version = v``. If another save came first no row
matches, nothing is written, and :class:`StaleEdit` carries the row as it is
saved now, for the conflict page (:func:`core.views.render_conflict`).
"""

from django.db.models import F
from django.http import Http404
from django.utils import timezone


class StaleEdit(Exception):
    """Someone else saved the record after this edit began; nothing was saved.

    ``current`` is the record as saved now.
    """

    def __init__(self, current):
        super().__init__("The record changed since it was opened.")
        self.current = current


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def save_if_current(model, *, pk, version, values=None):
    """Write ``values`` to row ``pk`` of ``model`` only while it is at ``version``.

    One ``UPDATE … WHERE pk = p AND version = v`` that also bumps ``version``
    (and sets ``updated_at`` when the model has one): there is no window between
    reading and writing. With no ``values`` it only claims the row (the version
    moves on and the row stays locked until the transaction ends), for saves
    that must go through ``Model.save()`` afterwards (files, formsets).

    Returns the new version. Raises :class:`StaleEdit` with the row as saved now
    when it is at another version, and 404 when it no longer exists.
    """
    changes = dict(values or {})
    changes["version"] = F("version") + 1
    if _has_field(model, "updated_at"):
        changes["updated_at"] = timezone.now()
    manager = model._default_manager
    if version is not None and manager.filter(pk=pk, version=version).update(**changes):
        return version + 1
    current = manager.filter(pk=pk).first()
    if current is None:
        raise Http404("This record no longer exists.")
    raise StaleEdit(current)
