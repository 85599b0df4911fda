"""The no-lost-updates flow and its conflict page, shared by every versioned form."""

import datetime
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.formats import date_format

from .conflicts import StaleEdit

CONFLICT_TEMPLATE = "core/conflict.html"


class ConflictRow(NamedTuple):
    label: str
    yours: str
    saved: str
    differs: bool


def display_value(field, value):
    """A field's value as a reader would want to see it on the conflict page."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(item) for item in value)
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(display_value(field, item) for item in value)
    if isinstance(value, datetime.datetime):
        return date_format(value, "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    choices = getattr(field, "choices", None)
    if choices:
        try:
            return str(dict(choices).get(value, value))
        except TypeError:  # grouped or unhashable choices: show the value itself
            return str(value)
    return str(value)


def _typed(form, name, field):
    """What was typed in field ``name``, shown as its value would be."""
    raw = form[name].value()
    try:
        return display_value(field, field.clean(raw))
    except ValidationError:
        # Not a valid value (not a real date, not one of the choices): show it as typed.
        if isinstance(raw, list | tuple):
            return ", ".join(map(str, raw))
        return str(raw or "")


def conflict_rows(form, saved):
    """One :class:`ConflictRow` per visible field of a stale ``form``: the label,
    what was typed, what is saved on ``saved`` now, and whether they differ."""
    saved_value = getattr(form, "conflict_value", None)
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        try:
            current = saved_value(saved, name) if saved_value else getattr(saved, name)
        except AttributeError:
            continue  # not stored on the record (a "remove the file" box, say)
        yours = _typed(form, name, field)
        shown_saved = display_value(field, current)
        label = str(form[name].label)
        rows.append(ConflictRow(label, yours, shown_saved, yours != shown_saved))
    return rows


def render_conflict(
    request,
    *,
    form,
    saved,
    what,
    cancel_url,
    fields_template="core/_form_fields.html",
    submit_label="Save changes",
    context=None,
):
    """The 409 page for a stale ``form`` (:class:`core.forms.VersionAndTokenMixin`).

    It shows what was typed and what is saved now side by side, field by field,
    with the rows that differ marked; then the form again, keeping what was typed
    but carrying the saved version, so sending it replaces the saved version
    deliberately; and a link to cancel and keep the saved version.

    ``what`` names the record in a sentence ("this goal", "Sam"); the form's
    fields are drawn by ``fields_template``; ``context`` adds what that and
    the breadcrumbs (``breadcrumbs_template``) need. Pages that show person data
    must be audited as views by the caller.
    """
    again = form.for_saved(saved)
    page = {
        "form": again,
        "rows": conflict_rows(form, saved),
        "saved": saved,
        "saved_at": getattr(saved, "updated_at", None),
        "what": what,
        "action": request.get_full_path(),
        "cancel_url": cancel_url,
        "fields_template": fields_template,
        "submit_label": submit_label,
        **(context or {}),
    }
    return render(request, CONFLICT_TEMPLATE, page, status=409)


def save_versioned(*, form, record, save, conflict, is_valid=None):
    """The no-lost-updates flow of every edit form of a versioned record.

    - The posted version (``form.version``) is not the record's current one:
      ``conflict(saved)`` with the record as saved now, before anything else
      (what was typed is kept on the conflict page, errors and all).
    - The form is not valid (``is_valid()``, by default ``form.is_valid()``):
      None, meaning show the form again with its errors.
    - Otherwise ``save()``, whose response is returned; when its conditional
      save loses a race (:class:`~core.conflicts.StaleEdit`), ``conflict``.
    """
    if form.version != record.version:
        return conflict(type(record)._default_manager.get(pk=record.pk))
    if not (is_valid or form.is_valid)():
        return None
    try:
        return save()
    except StaleEdit as stale:
        return conflict(stale.current)
