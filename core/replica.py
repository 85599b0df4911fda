"""Reports read from a streaming read replica; everything else uses the primary.

Which reads go to the replica is decided by the *view*, never guessed from the
model: a report view is wrapped with :func:`report_reads` (the supervisor
dashboard, its CSV, the team outcome export), and only while it runs does
:class:`ReportReplicaRouter` send reads to the ``replica`` alias. Writes, and
every read outside a report view, go to the primary ("default").

- **No replica configured** (``DATABASE_REPLICA_URL`` unset, so
  ``CP_REPORT_DATABASE`` is None): everything uses the primary; no query is
  added.
- **Read your own writes**: :class:`ReadYourWritesMiddleware` sets a short-lived
  cookie (``CP_READ_YOUR_WRITES_SECONDS``, default 10 s) on the answer to every
  POST/PUT/PATCH/DELETE; while a request carries it, report views read from the
  primary, so a page that has just written never shows figures from before its
  own change. A cookie rather than the session: it costs no query and works on
  any app instance.
- **Replica down**: the replica's connection is checked when a report view
  starts; if it cannot connect, or fails during the view, the view runs (again)
  on the primary, a WARNING is logged (``connecting_people.replica``) and the
  replica is left alone for ``CP_REPLICA_RETRY_SECONDS`` (default 30). Report
  views only read, so running one again is safe.
- **Lag**: a page drawn from the replica says "Figures as of <time>" (include
  ``core/_figures_as_of.html``): the replica's ``pg_last_xact_replay_timestamp()``
  (the last change it has applied), or the time of the request where the
  database cannot say (not PostgreSQL, or a replica that has replayed nothing).
"""

import contextlib
import contextvars
import functools
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

logger = logging.getLogger("connecting_people.replica")

WROTE_COOKIE = "cp_wrote"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Tables that must always be read where they are written: sessions, the shared
# cache (rate limits, used TOTP codes) and sign-in lockouts.
PRIMARY_ONLY_APPS = {"sessions", "django_cache", "axes", "usersessions"}

_reads_from = contextvars.ContextVar("cp_report_reads_from", default=None)
_down_until = {}


def report_database():
    """The alias report reads may use, or None (no replica configured)."""
    alias = getattr(settings, "CP_REPORT_DATABASE", None)
    return alias if alias and alias in connections.settings else None


def current_read_alias():
    """The alias reads are being routed to now (None: the primary)."""
    return _reads_from.get()


class ReportReplicaRouter:
    """Reads inside :func:`report_reads` go to the replica; all else to the
    primary. Migrations run on the primary only (the replica copies them)."""

    def db_for_read(self, model, **hints):
        alias = _reads_from.get()
        if alias and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def _mark_down(alias, error):
    _down_until[alias] = time.monotonic() + settings.CP_REPLICA_RETRY_SECONDS
    with contextlib.suppress(Exception):
        connections[alias].close()
    logger.warning(
        "Read replica %r unavailable (%s); reports use the primary for the next %s s.",
        alias,
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        settings.CP_REPLICA_RETRY_SECONDS,
    )


def usable_replica():
    """The replica's alias if one is configured and answers, else None (and a
    warning, once per retry period)."""
    alias = report_database()
    if alias is None or time.monotonic() < _down_until.get(alias, 0):
        return None
    connection = connections[alias]
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
        connection.ensure_connection()
    except DatabaseError as error:
        _mark_down(alias, error)
        return None
    _down_until.pop(alias, None)
    return alias


def replica_as_of(alias):
    """When the replica's data is from: the last replayed transaction's time."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_last_xact_replay_timestamp()")
            (replayed,) = cursor.fetchone()
        if replayed is not None:
            return replayed
    return timezone.now()


def _healthy(alias):
    try:
        return connections[alias].is_usable()
    except Exception:  # no connection at all, or a broken one
        return False


def _just_wrote(request):
    return request.method in UNSAFE_METHODS or WROTE_COOKIE in request.COOKIES


def report_reads(view):
    """Run a report view's reads on the replica when there is one and it
    answers, else on the primary. Sets ``request.figures_as_of`` (a datetime)
    when the figures come from the replica, None otherwise."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.figures_as_of = None
        alias = None if _just_wrote(request) else usable_replica()
        if alias is None:
            return view(request, *args, **kwargs)
        token = _reads_from.set(alias)
        try:
            request.figures_as_of = replica_as_of(alias)
            return view(request, *args, **kwargs)
        except DatabaseError as error:
            if _healthy(alias):
                raise  # the replica is fine: a real error, not an outage
            _mark_down(alias, error)
        finally:
            _reads_from.reset(token)
        request.figures_as_of = None
        return view(request, *args, **kwargs)

    return wrapper


class ReadYourWritesMiddleware:
    """After a request that may have written, keep this browser's report reads
    on the primary for a few seconds (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in UNSAFE_METHODS and report_database() is not None:
            response.set_cookie(
                WROTE_COOKIE,
                "1",
                max_age=settings.CP_READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
