"""Volume data for benchmarks: ``seed_demo --people N`` and the bench commands.

N fictional people (references ``VOL-000001`` …) spread over "Volume team 1" …
"Volume team 5" and 50 workers, each with ``--sessions-per-person`` sessions,
bulk-inserted in batches; then, for the open people past planning, a network
map, a baseline snapshot, two goals and a review, so the dashboard, board and
journey have something to read. Running it again only tops up what is missing.
All names are invented.
"""

import contextlib
import csv
import datetime
import io
import json
import random
import time
import uuid

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, give_totp
from accounts.models import AccessDeniedEvent, Agency, Team, TeamMembership, User
from caseload.demo import CYCLE, KINDS, REFERRAL_SOURCES, WHAT_WE_DID, stage_path
from caseload.models import (
    Allocation,
    AuditEvent,
    ClosureReason,
    ServiceUser,
    Session,
    SessionKind,
    StageChange,
    Status,
)
from caseload.stages import Stage
from goals import gas
from goals.models import Goal, Rating, Review
from networks.models import NetworkMember, Snapshot

VOLUME_TEAMS = 5
VOLUME_WORKERS_PER_TEAM = 10
PEOPLE_BATCH = 1000
SESSION_BATCH = 5000
# Audit events per volume person: 20,000,000 at 100,000 people (every page view
# of a person writes one, so it is the table that grows fastest).
AUDIT_PER_PERSON = 200
AUDIT_CHUNK = 1_000_000

# Stages by which a person would have a map, a baseline and goals.
MAPPED = [Stage.PLAN, Stage.CONNECT, Stage.REVIEW, Stage.MOVING_ON]
SECTORS = ["family", "friends", "community", "services", "neighbours", "household"]


# --------------------------------------------------------------------------
# Bulk loading: COPY on PostgreSQL, bulk_create elsewhere
# --------------------------------------------------------------------------


def _null_or(convert):
    return lambda value: r"\N" if value is None else convert(value)


def _converter(field):
    """How one field's Python value is written in COPY's CSV (decided once per
    field, not per row: this is most of the seeding's Python time)."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return _null_or(json.dumps)
    if kind == "BooleanField":
        return _null_or(lambda value: "t" if value else "f")
    if kind in ("DateTimeField", "DateField", "TimeField"):
        return _null_or(lambda value: value.isoformat())
    return _null_or(str)


def _copy_columns(model):
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
    ]
    stamped = {
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    return fields, [(f.attname, _converter(f)) for f in fields], stamped


@contextlib.contextmanager
def foreign_keys_checked_once(models_):
    """On PostgreSQL, drop the foreign keys of ``models_``' tables for a bulk load
    and add them back after it. Django's foreign keys are DEFERRABLE INITIALLY
    DEFERRED: each row inserted queues a check that runs at commit, one index
    probe at a time (20 minutes for 20M audit rows); adding the constraint back
    validates every row in one join instead (seconds). Must be entered before
    any row of those tables is written in the transaction. Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks already queued run now
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        # Rows of other tables written meanwhile (users, memberships) have their
        # checks queued; run them now, or the tables they point at cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def bulk_insert(model, objects, *, batch_size=SESSION_BATCH):
    """Insert unsaved ``objects`` (no primary keys come back). On PostgreSQL one
    ``COPY … FROM STDIN`` (about 3× faster than multi-row INSERTs); elsewhere
    ``bulk_create`` in batches."""
    if not objects:
        return 0
    if connection.vendor != "postgresql":
        if isinstance(objects[0], dict):
            objects = [model(**row) for row in objects]
        model.objects.bulk_create(objects, batch_size=batch_size)
        return len(objects)
    fields, converters, stamped = _copy_columns(model)
    now = timezone.now()
    # Rows may be plain dicts of attribute names (no model instance to build:
    # the cheaper way for millions of rows); missing ones take their defaults.
    made = {f.attname: f.default for f in fields if f.has_default() and callable(f.default)}
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in made}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for obj in objects:
        if isinstance(obj, dict):
            values = {**defaults, **obj}
            for attname, make in made.items():
                if attname not in obj:
                    values[attname] = make()
        else:
            values = obj.__dict__
        for attname in stamped:
            if values.get(attname) is None:
                values[attname] = now
        writer.writerow([convert(values[attname]) for attname, convert in converters])
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
    return len(objects)


# --------------------------------------------------------------------------
# Volume data (bulk inserts)
# --------------------------------------------------------------------------


def _volume_staff():
    """Volume team 1…5, each with 10 workers and a supervisor (created once)."""
    agency, _ = Agency.objects.get_or_create(
        name="Volume agency", defaults={"sector": Agency.Sector.NHS_MENTAL_HEALTH}
    )
    teams = []
    for n in range(1, VOLUME_TEAMS + 1):
        team, _ = Team.objects.get_or_create(
            name=f"Volume team {n}",
            defaults={
                "description": "Fictional team for volume and performance testing.",
                "agency": agency,
            },
        )
        teams.append(team)
    password = make_password(DEMO_PASSWORD)
    wanted = []
    for t, team in enumerate(teams):
        for w in range(VOLUME_WORKERS_PER_TEAM):
            number = t * VOLUME_WORKERS_PER_TEAM + w + 1
            wanted.append(
                (
                    f"volume.worker{number:02d}",
                    "Worker",
                    f"{number:02d}",
                    team,
                    TeamMembership.Role.WORKER,
                )
            )
        wanted.append(
            (
                f"volume.supervisor{t + 1}",
                "Supervisor",
                f"{t + 1}",
                team,
                TeamMembership.Role.SUPERVISOR,
            )
        )
    have = set(
        User.objects.filter(username__startswith="volume.").values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(
                username=u,
                first_name=first,
                last_name=last,
                password=password,
                email=f"{u}@example.org",
            )
            for u, first, last, _team, _role in wanted
            if u not in have
        ]
    )
    by_name = {u.username: u for u in User.objects.filter(username__startswith="volume.")}
    have_roles = set(
        TeamMembership.objects.filter(user__username__startswith="volume.").values_list(
            "user__username", "team_id", "role"
        )
    )
    TeamMembership.objects.bulk_create(
        [
            TeamMembership(user=by_name[u], team=team, role=role)
            for u, _first, _last, team, role in wanted
            if (u, team.pk, role) not in have_roles
        ]
    )
    workers = [
        (by_name[u], team)
        for u, _first, _last, team, role in wanted
        if role == TeamMembership.Role.WORKER
    ]
    supervisors = {
        team.pk: by_name[u]
        for u, _f, _l, team, role in wanted
        if role == TeamMembership.Role.SUPERVISOR
    }
    # Supervisors must use a second factor (CP_MFA_REQUIRED): the demo key.
    with_totp = set(
        Authenticator.objects.filter(
            user__in=supervisors.values(), type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    for supervisor in supervisors.values():
        if supervisor.pk not in with_totp:
            give_totp(supervisor, DEMO_TOTP_KEY)
    return workers, supervisors


def seed_volume(*, people, sessions_per_person=20, today=None):
    """Top the volume people up to ``people``; returns (people added, sessions added)."""
    today = today or timezone.localdate()
    rng = random.Random(20261126 + people)  # noqa: S311 - demo data, not security
    workers, supervisors = _volume_staff()
    existing = ServiceUser.objects.filter(reference__startswith="VOL-").count()
    missing = max(people - existing, 0)
    if not missing:
        return 0, 0
    # Continue numbering after the highest existing reference.
    highest = (
        ServiceUser.objects.filter(reference__startswith="VOL-")
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    start = int(highest[4:]) if highest else 0
    first_names = [
        "Alex",
        "Bea",
        "Cal",
        "Dana",
        "Eli",
        "Fran",
        "Gus",
        "Hari",
        "Ivy",
        "Jude",
        "Kit",
        "Lou",
        "Max",
        "Nia",
        "Ola",
        "Pip",
        "Quin",
        "Rae",
        "Sol",
        "Tess",
    ]
    surnames = [
        "Adams",
        "Brook",
        "Clark",
        "Dunn",
        "Ellis",
        "Frost",
        "Gray",
        "Hart",
        "Iqbal",
        "Jones",
        "Khan",
        "Lane",
        "Moss",
        "Nash",
        "Owen",
        "Patel",
        "Reed",
        "Shaw",
    ]
    now = timezone.now()
    sessions_added = 0
    for batch_start in range(0, missing, PEOPLE_BATCH):
        size = min(PEOPLE_BATCH, missing - batch_start)
        batch, plans = [], []
        for i in range(size):
            number = start + batch_start + i + 1
            # Round-robin over teams, then over each team's workers: an even spread.
            team_index = number % VOLUME_TEAMS
            worker_index = (number // VOLUME_TEAMS) % VOLUME_WORKERS_PER_TEAM
            worker, team = workers[team_index * VOLUME_WORKERS_PER_TEAM + worker_index]
            # Everyone has met their worker (so has sessions): no one is still "referred".
            stage = rng.choice(CYCLE[1:] + [Stage.CONNECT, Stage.CONNECT, Stage.CLOSED])
            referred = today - datetime.timedelta(days=rng.randint(30, 720))
            dates = sorted(
                referred + datetime.timedelta(days=rng.randint(1, (today - referred).days))
                for _ in range(sessions_per_person)
            )
            kinds = [
                SessionKind.DID_NOT_ATTEND if rng.random() < 0.08 else rng.choice(KINDS)
                for _ in dates
            ]
            gap = datetime.timedelta(days=rng.choice([7, 14]))
            next_on = dates[-1] + gap if dates else None
            contacts = [
                d for d, k in zip(dates, kinds, strict=True) if k != SessionKind.DID_NOT_ATTEND
            ]
            first = rng.choice(first_names)
            batch.append(
                ServiceUser(
                    public_id=uuid.uuid4(),
                    reference=f"VOL-{number:06d}",
                    preferred_name=first,
                    full_name=f"{first} {rng.choice(surnames)}",
                    team=team,
                    allocated_worker=worker,
                    referral_date=referred,
                    referral_source=rng.choice(REFERRAL_SOURCES),
                    status=Status.CLOSED
                    if stage == Stage.CLOSED
                    else Status.REFERRED
                    if stage == Stage.REFERRAL
                    else Status.ACTIVE,
                    stage=stage,
                    closed_on=today if stage == Stage.CLOSED else None,
                    closure_reason=ClosureReason.GOALS_MET if stage == Stage.CLOSED else "",
                    last_contact_on=contacts[-1] if contacts else None,
                    next_contact_on=next_on if next_on and next_on >= today else None,
                )
            )
            plans.append((stage, dates, kinds, gap, worker, supervisors[team.pk]))
        ServiceUser.objects.bulk_create(batch, batch_size=PEOPLE_BATCH)
        if batch[0].pk is None:  # a backend without RETURNING: look the rows up
            ids = dict(
                ServiceUser.objects.filter(public_id__in=[p.public_id for p in batch]).values_list(
                    "public_id", "pk"
                )
            )
            for person in batch:
                person.pk = ids[person.public_id]
        sessions, changes, allocations = [], [], []
        for person, (stage, dates, kinds, gap, worker, boss) in zip(batch, plans, strict=True):
            path = stage_path(stage)
            previous = ""
            for step_index, step in enumerate(path):
                changes.append(
                    StageChange(
                        service_user_id=person.pk,
                        from_stage=previous,
                        to_stage=step,
                        changed_by_id=boss.pk,
                        changed_at=now - datetime.timedelta(days=(len(path) - step_index) * 20),
                    )
                )
                previous = step
            allocations.append(
                Allocation(
                    service_user_id=person.pk,
                    to_worker_id=worker.pk,
                    changed_by_id=boss.pk,
                    changed_at=now,
                    note="First allocation.",
                )
            )
            for n, (on, kind) in enumerate(zip(dates, kinds, strict=True)):
                at_stage = path[min(len(path) - 1, 1 + n * max(len(path) - 2, 1) // len(dates))]
                if at_stage in (Stage.CLOSED, Stage.REFERRAL):
                    at_stage = Stage.GETTING_STARTED
                sessions.append(
                    {
                        "public_id": uuid.uuid4(),
                        "service_user_id": person.pk,
                        "author_id": worker.pk,
                        "date": on,
                        "duration_minutes": 60,
                        "kind": kind,
                        "stage": at_stage,
                        "what_we_did": WHAT_WE_DID[at_stage][n % len(WHAT_WE_DID[at_stage])],
                        "next_session_on": (on + gap if n == len(dates) - 1 else None),
                    }
                )
        bulk_insert(StageChange, changes)
        bulk_insert(Allocation, allocations)
        bulk_insert(Session, sessions)
        sessions_added += len(sessions)
    return missing, sessions_added


def volume_supervisor():
    """The supervisor of Volume team 1 (used by the caseload benchmark)."""
    return User.objects.filter(username="volume.supervisor1").first()


def seed_volume_outcomes(*, stdout=None):
    """Give open volume people past planning a network map, a baseline snapshot, two
    goals and a review, so the dashboard's outcome figures have data to read."""
    people = list(
        ServiceUser.objects.filter(reference__startswith="VOL-", stage__in=MAPPED)
        .exclude(status=Status.CLOSED)
        .filter(network_members__isnull=True)
        .values_list("pk", "allocated_worker_id", "referral_date")
    )
    if not people:
        return 0
    now = timezone.now()
    with transaction.atomic():
        members, snapshots, goals = [], [], []
        for index, (pk, worker_id, referred) in enumerate(people):
            size = 4 + index % 7
            for n in range(size):
                members.append(
                    NetworkMember(
                        service_user_id=pk,
                        label=f"Contact {n + 1}",
                        sector=SECTORS[n % 6],
                        ring=1 + n % 3,
                        frequency="weekly",
                        support=["companionship"],
                        direction="both_ways",
                        quality="positive",
                        added_on=referred,
                    )
                )
            snapshots.append(
                Snapshot(
                    service_user_id=pk,
                    label="Baseline",
                    is_baseline=True,
                    taken_at=now,
                    taken_by_id=worker_id,
                    member_count=max(size - index % 3, 0),
                )
            )
            for n in range(2):
                goals.append(
                    Goal(
                        service_user_id=pk,
                        title=f"Goal {n + 1}",
                        domain="meeting_people",
                        set_on=referred,
                        level_0="Expected outcome",
                        created_by_id=worker_id,
                    )
                )
        bulk_insert(NetworkMember, members)
        bulk_insert(Snapshot, snapshots)
        bulk_insert(Goal, goals)
        goal_ids = {}
        for goal_id, person_id in Goal.objects.filter(
            service_user_id__in=[p[0] for p in people]
        ).values_list("pk", "service_user_id"):
            goal_ids.setdefault(person_id, []).append(goal_id)
        reviews = [
            Review(
                service_user_id=pk,
                reviewed_by_id=worker_id,
                reviewed_at=now,
                t_score=gas.t_score([index % 5 - 2, 0]),
            )
            for index, (pk, worker_id, _) in enumerate(people)
        ]
        bulk_insert(Review, reviews)
        ratings = []
        for index, review in enumerate(
            Review.objects.filter(service_user_id__in=goal_ids).order_by("service_user_id")
        ):
            for n, goal_id in enumerate(goal_ids[review.service_user_id]):
                ratings.append(
                    Rating(review=review, goal_id=goal_id, level=(index % 5 - 2) if n == 0 else 0)
                )
        bulk_insert(Rating, ratings)
    if stdout is not None:
        stdout.write(
            f"Added maps, baselines, goals and reviews for {len(people)} volume people "
            f"({len(members)} members, {len(goals)} goals)."
        )
    return len(people)


def seed_volume_audit(*, per_person=AUDIT_PER_PERSON, stdout=None):
    """Top the volume people's audit trail up to ``per_person`` events each
    (200: 20,000,000 at 100,000 people), spread evenly over the last two years
    in time order, as real events arrive, each by the person's worker. On
    PostgreSQL the rows are made by the server (``INSERT … SELECT`` over
    ``generate_series``, in chunks of a million: nothing crosses the wire), with
    the two btree indexes dropped first and rebuilt after when the table is
    being filled from (nearly) empty, which is several times faster than
    keeping them up to date row by row. Elsewhere ``bulk_create`` in batches."""
    people = ServiceUser.objects.filter(reference__startswith="VOL-")
    total_people = people.count()
    target = total_people * per_person
    have = AuditEvent.objects.filter(service_user__reference__startswith="VOL-").count()
    missing = target - have
    if missing <= 0 or not total_people:
        return 0
    started = time.perf_counter()
    now = timezone.now()
    start = now - datetime.timedelta(days=730)
    step_us = max(int((now - start).total_seconds() * 1_000_000 / (missing + 1)), 1)
    if connection.vendor == "postgresql":
        with transaction.atomic():
            _audit_by_sql(missing, start, step_us, rebuild=missing > 2 * have)
    else:
        rows = list(people.values_list("pk", "allocated_worker_id", "public_id"))
        batch = []
        for g in range(missing):
            pk, worker_id, public_id = rows[(g * 2654435761) % len(rows)]
            batch.append(
                AuditEvent(
                    at=start + datetime.timedelta(microseconds=(g + 1) * step_us),
                    actor_id=worker_id,
                    action="update" if g % 10 == 0 else "view",
                    service_user_id=pk,
                    object_type="serviceuser",
                    object_id=str(public_id),
                    path=f"/people/{public_id}/",
                )
            )
            if len(batch) >= SESSION_BATCH:
                AuditEvent.objects.bulk_create(batch)
                batch = []
        AuditEvent.objects.bulk_create(batch)
    if stdout is not None:
        stdout.write(
            f"Added {missing} audit events in {time.perf_counter() - started:.1f} s "
            f"({target} for {total_people} volume people)."
        )
    return missing


def _audit_by_sql(missing, start, step_us, *, rebuild):
    table = AuditEvent._meta.db_table
    btrees = list(AuditEvent._meta.indexes)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("DROP TABLE IF EXISTS vol_people")
        cursor.execute(
            "CREATE TEMP TABLE vol_people ON COMMIT DROP AS SELECT "
            "row_number() OVER (ORDER BY id) - 1 AS rn, id, allocated_worker_id, public_id "
            "FROM caseload_serviceuser WHERE reference LIKE 'VOL-%%'"
        )
        cursor.execute("CREATE UNIQUE INDEX ON vol_people (rn)")
        cursor.execute("ANALYZE vol_people")
        cursor.execute("SELECT count(*) FROM vol_people")
        (count,) = cursor.fetchone()
        if rebuild:
            for index in btrees:
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")
        for first in range(0, missing, AUDIT_CHUNK):
            last = min(first + AUDIT_CHUNK, missing) - 1
            cursor.execute(
                f"INSERT INTO {table} (at, actor_id, action, service_user_id, object_type, "  # noqa: S608
                "object_id, fields, path, detail) "
                "SELECT %s + (g + 1) * %s * interval '1 microsecond', p.allocated_worker_id, "
                "CASE WHEN g %% 10 = 0 THEN 'update' ELSE 'view' END, p.id, 'serviceuser', "
                "p.public_id::text, '[]'::jsonb, '/people/' || p.public_id || '/', '' "
                "FROM generate_series(%s::bigint, %s::bigint) AS g "
                "JOIN vol_people p ON p.rn = (g * 2654435761) %% %s",
                [start, step_us, first, last, count],
            )
    if rebuild:
        with connection.cursor() as cursor:
            # Without foreign_keys_checked_once (a top-up of the audit events for
            # people already there), each row inserted has a foreign-key check
            # queued: run them now, or PostgreSQL refuses CREATE INDEX ("pending
            # trigger events").
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        with connection.schema_editor(atomic=False) as editor:
            for index in btrees:
                editor.add_index(AuditEvent, index)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE vol_people")
        # Summarise the BRIN ranges just filled (autosummarize would, a little later).
        cursor.execute("SELECT brin_summarize_new_values('audit_time_brin')")
        cursor.execute(f"ANALYZE {table}")


REFUSALS_PER_PERSON = 2


def seed_volume_refusals(*, per_person=REFUSALS_PER_PERSON):
    """Refused requests for the admins' list at volume (200,000 at 100,000
    people): workers opening people outside their caseload, over two years, in
    time order. Tops up to ``per_person`` for each volume person."""
    rows = list(
        ServiceUser.objects.filter(reference__startswith="VOL-").values_list(
            "allocated_worker_id", "public_id"
        )
    )
    have = AccessDeniedEvent.objects.filter(path__startswith="/people/", status=404).count()
    missing = len(rows) * per_person - have
    if missing <= 0:
        return 0
    workers = sorted({worker for worker, _ in rows})
    now = timezone.now()
    start = now - datetime.timedelta(days=730)
    step = (now - start) / (missing + 1)
    bulk_insert(
        AccessDeniedEvent,
        [
            {
                "user_id": workers[(g * 7) % len(workers)],
                "path": f"/people/{rows[(g * 2654435761) % len(rows)][1]}/",
                "method": "GET",
                "status": 404,
                "at": start + step * (g + 1),
                "address": "127.0.0.1",
            }
            for g in range(missing)
        ],
    )
    return missing
