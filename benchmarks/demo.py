"""``seed_demo --people N``: volume people for benchmarks and load tests.

Runs after every app's own demo data (this app is listed last), so the demo
accounts and toolkit already exist. See ``benchmarks/volume.py``.
"""

import time
from contextlib import nullcontext

from accounts.models import AccessDeniedEvent
from caseload.models import Allocation, AuditEvent, ServiceUser, Session, StageChange
from goals.models import Goal, Rating, Review
from networks.models import NetworkMember, Snapshot

from .volume import (
    AUDIT_PER_PERSON,
    foreign_keys_checked_once,
    seed_volume,
    seed_volume_audit,
    seed_volume_outcomes,
    seed_volume_refusals,
)

BULK_TABLES = [
    ServiceUser,
    Session,
    StageChange,
    Allocation,
    AuditEvent,
    AccessDeniedEvent,
    NetworkMember,
    Snapshot,
    Goal,
    Review,
    Rating,
]


def seed(*, stdout, people=0, sessions_per_person=20, audit_per_person=AUDIT_PER_PERSON, **options):
    if not people:
        return
    started = time.perf_counter()
    # Dropping and validating the foreign keys pays only for a real load; a run
    # that finds every volume person there (a top-up) skips it.
    have = ServiceUser.objects.filter(reference__startswith="VOL-").count()
    guard = foreign_keys_checked_once(BULK_TABLES) if have < people else nullcontext()
    with guard:
        added, sessions = seed_volume(people=people, sessions_per_person=sessions_per_person)
        step = _lap(stdout, "people and sessions", started)
        mapped = seed_volume_outcomes()
        step = _lap(stdout, "maps, goals and reviews", step)
        audit = seed_volume_audit(per_person=audit_per_person)
        refusals = seed_volume_refusals(per_person=2 if audit_per_person else 0)
        step = _lap(stdout, "audit events and refused requests", step)
    _lap(stdout, "foreign keys checked", step)
    elapsed = time.perf_counter() - started
    stdout.write(
        f"Volume: {added} people and {sessions} sessions added, maps, goals and reviews "
        f"for {mapped} of them, {audit} audit events and {refusals} refused requests, "
        f"in {elapsed:.1f} s "
        f"(target {people} volume people)."
    )


def _lap(stdout, what, since):
    now = time.perf_counter()
    stdout.write(f"  {what}: {now - since:.1f} s")
    return now
