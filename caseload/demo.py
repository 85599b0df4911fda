"""Fictional people, sessions and histories for demonstrations and volume tests.

``seed`` (called by ``manage.py seed_demo``) is safe to repeat:

- about 30 people across the demo teams, with realistic session logs, stage
  histories and allocations (references ``DEMO-001`` …), created once;
- ``--people N`` (volume people for benchmarks) is handled by
  ``benchmarks/demo.py``, which reuses the wording below.

All names and stories are invented.
"""

import datetime
import random
import uuid

from django.utils import timezone

from accounts.models import Team, User

from .models import (
    Allocation,
    ClosureReason,
    ServiceUser,
    Session,
    SessionKind,
    StageChange,
    Status,
)
from .services import service_user_refresh_contact_dates
from .stages import STAGE_ORDER, Stage

# preferred name, full name, pronouns, team index, worker username, stage
DEMO_PEOPLE = [
    ("Maggie", "Margaret Thornton", "she/her", 0, "worker.amira", Stage.CONNECT),
    ("Dan", "Daniel Okoro", "he/him", 0, "worker.amira", Stage.ASSESS),
    ("Priya", "Priya Raman", "she/her", 0, "worker.amira", Stage.PLAN),
    ("Tom", "Thomas Hale", "he/him", 0, "worker.amira", Stage.GETTING_STARTED),
    ("Sam", "Samira Youssef", "they/them", 0, "worker.amira", Stage.REVIEW),
    ("Eileen", "Eileen Murphy", "she/her", 0, "worker.amira", Stage.MOVING_ON),
    ("Kofi", "Kofi Mensah", "he/him", 0, "worker.amira", Stage.REFERRAL),
    ("Ruth", "Ruth Kaplan", "she/her", 0, "worker.amira", Stage.CONNECT),
    ("Jamie", "James Whitlock", "he/him", 0, "worker.amira", Stage.CLOSED),
    ("Lena", "Lena Novak", "she/her", 0, "worker.amira", Stage.CONNECT),
    ("Gareth", "Gareth Pryce", "he/him", 0, "worker.ben", Stage.ASSESS),
    ("Aisha", "Aisha Bello", "she/her", 0, "worker.ben", Stage.PLAN),
    ("Frank", "Francis Doyle", "he/him", 0, "worker.ben", Stage.CONNECT),
    ("Mei", "Mei Lin", "she/her", 0, "worker.ben", Stage.GETTING_STARTED),
    ("Bill", "William Archer", "he/him", 0, "worker.ben", Stage.REVIEW),
    ("Rosa", "Rosa Ferreira", "she/her", 0, "worker.ben", Stage.CONNECT),
    ("Olu", "Oluwaseun Adeyemi", "he/him", 0, "worker.ben", Stage.REFERRAL),
    ("Hannah", "Hannah Price", "she/her", 0, "worker.ben", Stage.CLOSED),
    ("Viktor", "Viktor Petrov", "he/him", 0, "worker.ben", Stage.MOVING_ON),
    ("Nell", "Eleanor Greaves", "she/her", 0, "worker.ben", Stage.ASSESS),
    ("Zara", "Zara Hussain", "she/her", 1, "worker.chloe", Stage.CONNECT),
    ("Pete", "Peter Lowe", "he/him", 1, "worker.chloe", Stage.PLAN),
    ("Ines", "Inês Carvalho", "she/her", 1, "worker.chloe", Stage.GETTING_STARTED),
    ("Callum", "Callum Reid", "he/him", 1, "worker.chloe", Stage.ASSESS),
    ("Joy", "Joy Adebayo", "she/her", 1, "worker.chloe", Stage.REVIEW),
    ("Alex", "Alex Morgan", "they/them", 1, "worker.chloe", Stage.CONNECT),
    ("Marek", "Marek Nowak", "he/him", 1, "worker.chloe", Stage.REFERRAL),
    ("Dot", "Dorothy Finch", "she/her", 1, "worker.chloe", Stage.MOVING_ON),
    ("Rhys", "Rhys Evans", "he/him", 1, "worker.chloe", Stage.CONNECT),
    ("Bea", "Beatrice Kent", "she/her", 1, "worker.chloe", Stage.CLOSED),
]

REFERRAL_SOURCES = [
    "GP",
    "Community mental health team",
    "Self-referral",
    "Housing officer",
    "Social prescriber",
    "Recovery college",
]
REFERRAL_REASONS = [
    "Has become isolated since retiring and would like to meet people again.",
    "Lost touch with friends during a long stay in hospital; wants to rebuild a routine.",
    "Moved to the area recently and does not know anyone locally.",
    "Anxious about going out alone; would like to find a group with shared interests.",
    "Carer for a parent until last year; wants something of their own now.",
]
WHAT_MATTERS = [
    "Getting back to the allotment and having someone to talk to about it.",
    "Seeing my grandchildren more and not feeling so on my own in the evenings.",
    "Doing something useful – I used to love fixing bikes.",
    "Feeling confident enough to go to the shops and the library on my own.",
    "Singing again. I was in a choir before I got ill.",
]
WHAT_WE_DID = {
    Stage.REFERRAL: ["Phoned to introduce the service and arrange a first meeting."],
    Stage.GETTING_STARTED: [
        "First meeting at home. Talked about what Connecting People is and what they want.",
        "Met at the café on the high street; talked about a typical week.",
    ],
    Stage.ASSESS: [
        "Drew the network map together: family, a neighbour, the GP and the pharmacy.",
        "Talked through who they see each week and who they have lost touch with.",
    ],
    Stage.PLAN: [
        "Agreed two goals in their words and what 'going as expected' would look like.",
        "Looked at the directory for walking groups and choirs nearby.",
    ],
    Stage.CONNECT: [
        "Went together to the Tuesday community garden session.",
        "Visited the library's reading group; stayed for tea afterwards.",
        "Practised the bus route to the leisure centre.",
    ],
    Stage.REVIEW: [
        "Reviewed goals and re-drew the network map; compared with the first one.",
        "Talked about what has changed since we started.",
    ],
    Stage.MOVING_ON: [
        "Planned how to keep going with the garden group without support.",
        "Wrote the ending summary together.",
    ],
}
HOW_IT_WENT = [
    "Said it was easier than expected and wants to go again.",
    "Quiet at first, then chatted with two people about gardening.",
    "Felt anxious on the way but glad they went.",
    "Tired today; we kept it short.",
    "Laughed a lot – said they had not done that in a while.",
]
NEXT_STEPS = [
    "Worker to find the group's contact number; they will call before Friday.",
    "Try the bus journey alone next week and text how it went.",
    "Bring photos of the old allotment to the next session.",
    "",
]
KINDS = [
    SessionKind.FACE_TO_FACE,
    SessionKind.HOME_VISIT,
    SessionKind.COMMUNITY_OUTING,
    SessionKind.PHONE,
    SessionKind.VIDEO,
    SessionKind.GROUP,
    SessionKind.MESSAGE,
]
CYCLE = [s for s in STAGE_ORDER if s != Stage.CLOSED]


def seed(*, stdout, **options):
    created = _seed_demo_people(stdout)
    stdout.write(f"Caseload: {created} demo people added ({len(DEMO_PEOPLE)} in all).")


# --------------------------------------------------------------------------
# The demo teams' people
# --------------------------------------------------------------------------


def stage_path(stage):
    """The stages a person passed through to reach ``stage``."""
    if stage == Stage.CLOSED:
        return [*CYCLE, Stage.CLOSED]
    return CYCLE[: CYCLE.index(stage) + 1]


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


def _seed_demo_people(stdout):
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    teams = {
        0: Team.objects.filter(name="North Community Team").first(),
        1: Team.objects.filter(name="South Community Team").first(),
    }
    users = {u.username: u for u in User.objects.filter(username__startswith="worker.")}
    supervisor = User.objects.filter(username="supervisor.dev").first()
    if not all(teams.values()) or not users:
        stdout.write("Caseload: demo teams and users are missing; run the accounts seed first.")
        return 0
    existing = set(
        ServiceUser.objects.filter(reference__startswith="DEMO-").values_list(
            "reference", flat=True
        )
    )
    created = 0
    for index, (name, full_name, pronouns, team_index, username, stage) in enumerate(DEMO_PEOPLE):
        reference = f"DEMO-{index + 1:03d}"
        if reference in existing:
            continue
        _seed_demo_person(
            rng=rng,
            today=today,
            reference=reference,
            row=(name, full_name, pronouns, stage),
            team=teams[team_index],
            worker=users[username],
            changer=supervisor if team_index == 0 and supervisor else users[username],
            quiet=index % 7 == 3,  # every seventh person has had no contact for a while
        )
        created += 1
    return created


def _seed_demo_person(*, rng, today, reference, row, team, worker, changer, quiet):
    """One demo person whose sessions, stage history and contact dates agree."""
    name, full_name, pronouns, stage = row
    path = stage_path(stage)
    worked = [s for s in path if s not in (Stage.REFERRAL, Stage.CLOSED)]
    referred = today - datetime.timedelta(days=rng.randint(60, 400))
    closed = stage == Stage.CLOSED
    # Session dates: from a week after referral to a few days ago (a month or more
    # ago for "quiet" people; before the closing date for closed cases).
    end = today - datetime.timedelta(days=rng.randint(35, 50) if quiet or closed else 2)
    span = max((end - referred).days, 8)
    count = 0 if stage == Stage.REFERRAL else max(len(worked), rng.randint(4, 12))
    days = sorted(rng.sample(range(7, span), k=min(count, span - 7)))
    dates = [referred + datetime.timedelta(days=d) for d in days]
    session_stages = [worked[n * len(worked) // len(dates)] for n in range(len(dates))]

    changes = [(Stage.REFERRAL, referred, "Referral received.")]
    for step in worked:
        first = next((d for d, s in zip(dates, session_stages, strict=True) if s == step), None)
        changes.append((step, first or changes[-1][1] + datetime.timedelta(days=1), ""))
    if closed:
        changes.append((Stage.CLOSED, dates[-1] + datetime.timedelta(days=7), "Ending agreed."))

    status = (
        Status.CLOSED
        if closed
        else Status.REFERRED
        if stage == Stage.REFERRAL
        else rng.choice([Status.ACTIVE] * 5 + [Status.PAUSED])
    )
    consented = stage != Stage.REFERRAL
    person = ServiceUser.objects.create(
        reference=reference,
        preferred_name=name,
        full_name=full_name,
        pronouns=pronouns,
        date_of_birth=datetime.date(
            rng.randint(1945, 2002), rng.randint(1, 12), rng.randint(1, 28)
        ),
        phone=f"07700900{rng.randint(0, 999):03d}",
        postcode=rng.choice(["M1 1AE", "LS1 4AP", "B1 1BB", "NE1 7RU", "BS1 5TR"]),
        team=team,
        allocated_worker=worker,
        referral_date=referred,
        referral_source=rng.choice(REFERRAL_SOURCES),
        referral_reason=rng.choice(REFERRAL_REASONS),
        status=status,
        stage=stage,
        consent_to_take_part=True if consented else None,
        consent_date=dates[0] if consented else None,
        consent_recorded_by=worker if consented else None,
        sharing_agreement=(
            "Happy for the GP and care coordinator to hear how things are going."
            if consented
            else ""
        ),
        what_matters=rng.choice(WHAT_MATTERS) if consented else "",
        closed_on=changes[-1][1] if closed else None,
        closure_reason=rng.choice([ClosureReason.GOALS_MET, ClosureReason.DECLINED])
        if closed
        else "",
        ending_summary=(
            "Goes to the community garden on Tuesdays and meets a friend from there for "
            "coffee. Knows how to get back in touch if things get harder."
            if closed
            else ""
        ),
    )
    previous = ""
    history = []
    for step, day, note in changes:
        history.append(
            StageChange(
                service_user=person,
                from_stage=previous,
                to_stage=step,
                changed_by=changer,
                changed_at=_at(day),
                note=note,
            )
        )
        previous = step
    StageChange.objects.bulk_create(history)
    Allocation.objects.create(
        service_user=person,
        to_worker=worker,
        changed_by=changer,
        changed_at=_at(referred),
        note="First allocation.",
    )
    sessions = []
    for n, (on, at_stage) in enumerate(zip(dates, session_stages, strict=True)):
        last = n == len(dates) - 1
        kind = SessionKind.DID_NOT_ATTEND if not last and rng.random() < 0.1 else rng.choice(KINDS)
        if last and not (quiet or closed):
            next_on = today + datetime.timedelta(days=rng.randint(2, 12))
        else:
            next_on = on + datetime.timedelta(days=rng.choice([7, 7, 14]))
        attended = kind != SessionKind.DID_NOT_ATTEND
        sessions.append(
            Session(
                public_id=uuid.uuid4(),
                service_user=person,
                author=worker,
                date=on,
                start_time=datetime.time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30])),
                duration_minutes=rng.choice([30, 45, 60, 60, 90, 120]) if attended else 15,
                kind=kind,
                stage=at_stage,
                what_we_did=rng.choice(WHAT_WE_DID[at_stage]) if attended else "",
                how_it_went=rng.choice(HOW_IT_WENT)
                if attended
                else "Not in when I called; left a card.",
                next_steps=rng.choice(NEXT_STEPS),
                next_session_on=next_on,
            )
        )
    Session.objects.bulk_create(sessions)
    service_user_refresh_contact_dates(service_user=person)
    return person
