"""Duplicate submissions: a create form sent twice creates one record.

Every create form carries a ``submission_token`` (see
:class:`core.forms.VersionAndTokenMixin`); the model stores it in a unique,
nullable ``submission_token`` column. :func:`create_once` creates the record
with the token, or returns the record that token already created.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def _always(record):
    return True


def _record_for(model, submission_token):
    if not submission_token:
        return None
    return model._default_manager.filter(submission_token=submission_token).first()


def created_before(model, *, submission_token, belongs=_always):
    """The record an earlier submission with this token created, or None.

    Only a record for which ``belongs(record)`` holds counts (this person's,
    one the user may see): another record's token is ignored, never followed,
    so it cannot reveal that record.
    """
    existing = _record_for(model, submission_token)
    return existing if existing is not None and belongs(existing) else None


def create_once(model, *, submission_token, build, belongs=_always):
    """Create a record once per form token. Returns ``(record, created)``.

    ``build(token)`` creates and returns the record, saved with ``token`` (None
    when there is no token, or the token is another record's, which is ignored:
    see :func:`created_before`). A second submission of the same form returns
    the first record, whether it comes after the first or races it:

    - the token is looked up first;
    - when a concurrent submission wins the race, the unique constraint refuses
      this one (``IntegrityError``), or ``full_clean()`` in ``build`` sees the
      other record (a uniqueness ``ValidationError``); either way the record for
      the token is looked up again and returned when it belongs.

    Any other error is raised as it was.
    """
    existing = _record_for(model, submission_token)
    if existing is not None:
        if belongs(existing):
            return existing, False
        submission_token = None  # another record's token: save this one without it
    try:
        with transaction.atomic():
            return build(submission_token), True
    except (IntegrityError, ValidationError):
        existing = created_before(model, submission_token=submission_token, belongs=belongs)
        if existing is not None:
            return existing, False
        raise
