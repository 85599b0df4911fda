"""Cron jobs run once at a time, however many app instances start them.

Every instance may carry the same crontab, or an operator may start a job by
hand while cron runs it: the second copy must not run beside the first. Wrap a
management command's ``handle`` with :func:`cron_locked`::

    class Command(BaseCommand):
        @cron_locked
        def handle(self, *args, **options):
            ...

or hold the lock around any block with ``with cron_lock("name"):``.

A copy that finds the lock taken writes "Another copy of <name> is running;
this one exits." and exits with status **75** (``EX_TEMPFAIL`` in sysexits.h:
"try again later"), so cron's mail or a monitor can tell it from a failure
(1) and from a run that did its work (0).

How the lock is held (chosen per database engine):

- **PostgreSQL**: ``pg_try_advisory_xact_lock`` on a connection of its own,
  inside a transaction left open for the length of the job. The lock is the
  database's, so it holds across machines; it goes when the job ends, and
  when the job dies (the server ends the transaction when the connection
  drops), so a crash never leaves a stale lock. The *transaction*-level lock
  (not the session-level ``pg_try_advisory_lock``) is used so that it also
  holds behind PgBouncer in transaction-pooling mode: PgBouncer keeps one
  server connection for a client while its transaction is open, whereas a
  session-level lock would stay on whichever server connection the pool gave
  out, and be released or inherited by strangers. The cost is one idle-in-
  transaction connection per running job (keep
  ``idle_in_transaction_session_timeout`` longer than the longest job, or 0).
- **SQLite** (development, one machine by nature): an exclusive ``flock`` on a
  file beside the database file (for an in-memory database, in the temporary
  folder). The kernel releases it when the process ends, however it ends. A
  lock row in a table was rejected: a killed job would leave it behind, and
  core owns no tables (it imports no app and has no migrations).
"""

import contextlib
import fcntl
import functools
import hashlib
import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

EXIT_ANOTHER_RUNNING = 75


class AnotherIsRunning(CommandError):
    """The lock is taken: another copy of the job is running."""

    def __init__(self, name):
        self.name = name
        super().__init__(
            f"Another copy of {name} is running; this one exits.",
            returncode=EXIT_ANOTHER_RUNNING,
        )


def lock_key(name):
    """The 64-bit advisory-lock key for ``name`` (stable across processes)."""
    digest = hashlib.blake2b(f"connecting-people:cron:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextlib.contextmanager
def _postgresql_lock(name, alias):
    connection = connections.create_connection(alias)
    try:
        connection.set_autocommit(False)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
            (got_it,) = cursor.fetchone()
        if not got_it:
            raise AnotherIsRunning(name)
        yield
    finally:
        with contextlib.suppress(Exception):
            connection.rollback()  # ends the transaction, so releases the lock
        connection.close()


def lock_file_path(name, alias=DEFAULT_DB_ALIAS):
    database = str(connections[alias].settings_dict.get("NAME") or "")
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    if database and ":memory:" not in database and "mode=memory" not in database:
        path = Path(database)
        return path.with_name(f"{path.name}.{safe}.cronlock")
    # An in-memory database lives in one process only (tests), so its lock is
    # that process's: parallel test processes must not share one.
    tag = hashlib.blake2b(f"{database}:{os.getpid()}".encode(), digest_size=6).hexdigest()
    return Path(tempfile.gettempdir()) / f"connecting-people-{tag}.{safe}.cronlock"


@contextlib.contextmanager
def _file_lock(name, alias):
    path = lock_file_path(name, alias)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AnotherIsRunning(name) from None
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def cron_lock(name, *, using=DEFAULT_DB_ALIAS):
    """A context manager holding the lock for job ``name``, or raising
    :class:`AnotherIsRunning` at once when another copy holds it."""
    if connections[using].vendor == "postgresql":
        return _postgresql_lock(name, using)
    return _file_lock(name, using)


def cron_locked(handle=None, *, name=None):
    """Decorate a management command's ``handle`` so two copies never run at
    once. The lock is named after the command's module (``send_reminders``)
    unless ``name`` is given. ``@cron_locked`` and ``@cron_locked(name=…)`` both
    work."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(command, *args, **options):
            job = name or command.__module__.rsplit(".", 1)[-1]
            with cron_lock(job):
                return method(command, *args, **options)

        return wrapper

    return decorate(handle) if handle is not None else decorate
