"""Creating a record once per form: the one mechanism every create form uses."""

from django.db import IntegrityError, transaction


def create_once(model, *, submission_token, build, belongs=lambda record: True):
    """Create a record once per form token: a second submission of the same form
    returns the first record. Returns ``(record, created)``.

    ``model`` has a unique, nullable ``submission_token``; ``build(token)``
    creates the record with that token. Only a record for which
    ``belongs(record)`` holds (this person's, this goal's) counts: another
    person's token is ignored, so it can neither reveal that record nor stop
    this one being saved. A concurrent submission that wins the race is found
    after the unique constraint refuses the second; any other IntegrityError is
    raised.
    """
    if submission_token:
        existing = model.objects.filter(submission_token=submission_token).first()
        if existing is not None and belongs(existing):
            return existing, False
        if existing is not None:
            submission_token = None
    try:
        with transaction.atomic():
            return build(submission_token), True
    except IntegrityError:
        existing = (
            model.objects.filter(submission_token=submission_token).first()
            if submission_token
            else None
        )
        if existing is not None and belongs(existing):
            return existing, False
        raise
