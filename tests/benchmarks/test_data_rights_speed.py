"""Benchmarks (``make bench``) for the person's data rights.

- A subject access copy for a person with 500 sessions, a 60-member map with
  20 snapshots, 20 goals and 2,000 audit events: built in under 5 seconds.
- ``apply_retention`` on 10,000 due people: under 5 minutes on PostgreSQL.

Both print their figures; the time limits are asserted on PostgreSQL only.
"""

import datetime
import time

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseload import retention, subject_access
from caseload.models import (
    Allocation,
    AuditEvent,
    ServiceUser,
    Session,
    StageChange,
)
from caseload.stages import Stage
from goals.models import Goal, Rating, Review, Step
from networks import services as network_services
from networks.models import NetworkMember, Snapshot, Tie
from tests.caseload.factories import ServiceUserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _sessions(person, author, count, *, start):
    Session.objects.bulk_create(
        Session(
            service_user=person,
            author=author,
            date=start - datetime.timedelta(days=n),
            duration_minutes=45,
            kind="face_to_face",
            stage="connect",
            what_we_did=f"Went to the allotment and talked about the week ({n}).",
            how_it_went="Said it was good to be outside and to see people.",
            next_steps="Try the Thursday group.",
        )
        for n in range(count)
    )


def test_a_copy_for_a_big_record_is_built_in_under_five_seconds(team_a, owner, supervisor):
    person = ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Big")
    _sessions(person, owner, 500, start=timezone.localdate())
    members = NetworkMember.objects.bulk_create(
        NetworkMember(
            service_user=person,
            label=f"Member {n}",
            sector=["family", "friends", "community", "services"][n % 4],
            ring=1 + n % 3,
            frequency="weekly",
            support=["companionship"],
            added_on=timezone.localdate() - datetime.timedelta(days=400 - n),
        )
        for n in range(60)
    )
    Tie.objects.bulk_create(
        Tie(service_user=person, member_a=a, member_b=b)
        for a, b in zip(members[:-1], members[1:], strict=True)
    )
    network_services.snapshot_take(
        service_user=person, label="Baseline", by=owner, is_baseline=True
    )
    for n in range(19):
        network_services.snapshot_take(service_user=person, label=f"Review {n}", by=owner)
    goals = Goal.objects.bulk_create(
        Goal(
            service_user=person,
            title=f"Goal {n} in my words",
            domain="meeting_people",
            level_0="Expected",
            created_by=owner,
        )
        for n in range(20)
    )
    Step.objects.bulk_create(Step(goal=goal, what="A step", who="person") for goal in goals)
    for n in range(5):
        review = Review.objects.create(service_user=person, reviewed_by=owner, t_score=50)
        Rating.objects.bulk_create(Rating(review=review, goal=g, level=n % 3 - 1) for g in goals)
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=owner, action="view", service_user=person, object_type="serviceuser")
        for _ in range(2000)
    )
    sar, _ = subject_access.access_request_record(
        service_user=person,
        by=supervisor,
        data={"received_on": timezone.localdate(), "requested_by": "Big", "identity_check": "ID"},
    )
    timings = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
            timings.append(time.perf_counter() - started)
    print(
        f"\nSubject access copy ({connection.vendor}): 500 sessions, 60 members, 20 snapshots, "
        f"20 goals, 2,000 audit events: best {min(timings):.2f} s, worst {max(timings):.2f} s, "
        f"{len(queries.captured_queries)} queries, ZIP {copy.size / 1024:.0f} KiB"
    )
    assert len(queries.captured_queries) < 40
    if connection.vendor == "postgresql":
        assert max(timings) < 5


def _due_people(team, worker, count):
    """``count`` closed cases, each past the 8-year period, with a little of everything."""
    closed_on = retention.years_before(timezone.localdate(), 9)
    people = ServiceUser.objects.bulk_create(
        ServiceUser(
            preferred_name=f"Old {n}",
            reference=f"OLD-{n:05d}",
            team=team,
            allocated_worker=worker,
            referral_date=closed_on - datetime.timedelta(days=300),
            status="closed",
            stage=Stage.CLOSED,
            closed_on=closed_on,
            last_contact_on=closed_on - datetime.timedelta(days=10),
        )
        for n in range(count)
    )
    changes, allocations, sessions, events, members, goals, snapshots = [], [], [], [], [], [], []
    at = timezone.now() - datetime.timedelta(days=9 * 366)
    for person in people:
        for stage in (Stage.REFERRAL, Stage.CONNECT, Stage.CLOSED):
            changes.append(
                StageChange(service_user=person, to_stage=stage, changed_by=worker, changed_at=at)
            )
        allocations.append(
            Allocation(service_user=person, to_worker=worker, changed_by=worker, changed_at=at)
        )
        for n in range(3):
            sessions.append(
                Session(
                    service_user=person,
                    author=worker,
                    date=closed_on - datetime.timedelta(days=10 + n),
                    duration_minutes=30,
                    kind="phone",
                    stage="connect",
                    what_we_did="Phoned to plan the week.",
                )
            )
        events += [
            AuditEvent(actor=worker, action="view", service_user=person, object_type="serviceuser")
            for _ in range(3)
        ]
        members += [
            NetworkMember(service_user=person, label=f"M{n}", sector="friends", frequency="weekly")
            for n in range(2)
        ]
        goals.append(
            Goal(
                service_user=person,
                title="Go out",
                domain="other",
                level_0="Out",
                created_by=worker,
            )
        )
        snapshots.append(Snapshot(service_user=person, label="Baseline", data={"members": []}))
    for model, rows in (
        (StageChange, changes),
        (Allocation, allocations),
        (Session, sessions),
        (AuditEvent, events),
        (NetworkMember, members),
        (Goal, goals),
        (Snapshot, snapshots),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    return people


def test_apply_retention_erases_ten_thousand_people_in_batches(team_a, owner):
    count = 10_000
    _due_people(team_a, owner, count)
    started = time.perf_counter()
    plan = retention.plan()
    planned = time.perf_counter() - started
    assert len(plan.due) == count
    batches = []

    started = time.perf_counter()
    run = retention.apply(progress=lambda done, total: batches.append(time.perf_counter()))
    elapsed = time.perf_counter() - started
    reset_queries()
    gaps = [b - a for a, b in zip([started, *batches[:-1]], batches, strict=True)]
    print(
        f"\napply_retention ({connection.vendor}): {run.people_erased} people erased in "
        f"{elapsed:.1f} s ({elapsed / count * 1000:.1f} ms each); dry run {planned:.1f} s; "
        f"{len(batches)} batches of {retention.BATCH_SIZE}, longest {max(gaps):.2f} s"
    )
    assert run.people_erased == count
    assert not ServiceUser.objects.exists()
    assert not Snapshot._base_manager.exists()
    if connection.vendor == "postgresql":
        assert elapsed < 300
