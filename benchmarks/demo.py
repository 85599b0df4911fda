"""``seed_demo --people N``: volume people for benchmarks and load tests.

Runs after every app's own demo data (this app is listed last), so the demo
accounts and toolkit already exist. See ``benchmarks/volume.py``.
"""

import time

from .volume import AUDIT_PER_PERSON, seed_volume, seed_volume_audit, seed_volume_outcomes


def seed(*, stdout, people=0, sessions_per_person=20, audit_per_person=AUDIT_PER_PERSON, **options):
    if not people:
        return
    started = time.perf_counter()
    added, sessions = seed_volume(people=people, sessions_per_person=sessions_per_person)
    mapped = seed_volume_outcomes()
    audit = seed_volume_audit(per_person=audit_per_person)
    elapsed = time.perf_counter() - started
    stdout.write(
        f"Volume: {added} people and {sessions} sessions added, maps, goals and reviews "
        f"for {mapped} of them, and {audit} audit events, in {elapsed:.1f} s "
        f"(target {people} volume people)."
    )
