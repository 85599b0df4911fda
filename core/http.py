"""Reading what a form posted, where a bad value must never be a 500."""

import uuid
from typing import NamedTuple

# Versions are PostgreSQL integers: a bigger number cannot be a real version.
MAX_VERSION = 2**31 - 1

VERSION_FIELD = "version"
TOKEN_FIELD = "submission_token"  # noqa: S105 (a field name, not a secret)


class Posted(NamedTuple):
    """The version an edit form was loaded at and a create form's token
    (each None when absent or garbled)."""

    version: int | None
    submission_token: uuid.UUID | None


def parse_version(value):
    """A posted version as a positive integer, or None for anything else."""
    try:
        version = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return version if 1 <= version <= MAX_VERSION else None


def parse_token(value):
    """A posted submission token as a UUID, or None for anything else."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError, AttributeError):
        return None


def posted_version_and_token(data, prefix=""):
    """``version`` and ``submission_token`` from a POST (a request or its data).

    Missing or malformed values are None, never an error: a stale or garbled
    version is treated as a conflict, a garbled token as no token.
    """
    data = getattr(data, "POST", data)
    name = f"{prefix}-" if prefix else ""
    return Posted(
        version=parse_version(data.get(f"{name}{VERSION_FIELD}")),
        submission_token=parse_token(data.get(f"{name}{TOKEN_FIELD}")),
    )
