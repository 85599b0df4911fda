"""Demo network maps for the fictional people in the demo teams.

Three kinds of network, given in turn: sparse and formal; family and stable;
diverse and active. People past *Exploring connections* get a baseline snapshot
taken some weeks ago; people at review or later also get a review snapshot
showing the network grown since. Safe to run twice: anyone who already has a map
is left alone. Only the first people in the two demo teams are touched, never the
volume-test people that ``--people`` adds.
"""

import datetime

from django.utils import timezone

from caseload.models import ServiceUser
from caseload.stages import Stage
from toolkit.models import Service

from . import services
from .models import NetworkMember, Tie

DEMO_TEAMS = ("North Community Team", "South Community Team")
DEMO_PEOPLE_LIMIT = 30
NO_MAP_YET = {Stage.REFERRAL, Stage.GETTING_STARTED}
HAS_BASELINE = {Stage.PLAN, Stage.CONNECT, Stage.REVIEW, Stage.MOVING_ON, Stage.CLOSED}
HAS_REVIEW = {Stage.REVIEW, Stage.MOVING_ON, Stage.CLOSED}

# label, kind, sector, ring, frequency, support, direction, quality, via an opportunity
SPARSE_FORMAL = {
    "name": "sparse and formal",
    "baseline": [
        (
            "GP",
            "person",
            "services",
            2,
            "few_times_a_year",
            ["information"],
            "they_help",
            "mixed",
            False,
        ),
        (
            "CPN",
            "person",
            "services",
            1,
            "weekly",
            ["emotional", "practical"],
            "they_help",
            "positive",
            False,
        ),
        (
            "Housing officer",
            "person",
            "services",
            3,
            "rarely",
            ["practical"],
            "they_help",
            "stressful",
            False,
        ),
        (
            "Pharmacy",
            "place",
            "services",
            3,
            "monthly",
            ["information"],
            "they_help",
            "positive",
            False,
        ),
        ("Mum", "person", "family", 2, "monthly", ["practical"], "they_help", "stressful", False),
    ],
    "baseline_ties": [("GP", "CPN"), ("GP", "Pharmacy")],
    "review": [
        (
            "Walking group",
            "group",
            "community",
            2,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            True,
        ),
        (
            "Jo",
            "person",
            "friends",
            2,
            "weekly",
            ["companionship", "emotional"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Café on the corner",
            "place",
            "neighbours",
            3,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            False,
        ),
    ],
    "review_ties": [("Walking group", "Jo"), ("Jo", "Café on the corner")],
    "review_ends": ["Housing officer"],
}

FAMILY_STABLE = {
    "name": "family and stable",
    "baseline": [
        (
            "Dad",
            "person",
            "household",
            1,
            "daily",
            ["practical", "emotional"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Leah",
            "person",
            "family",
            1,
            "weekly",
            ["emotional", "companionship"],
            "both_ways",
            "positive",
            False,
        ),
        ("Nan", "person", "family", 2, "monthly", ["emotional"], "person_helps", "positive", False),
        ("Uncle Ray", "person", "family", 3, "few_times_a_year", [], "both_ways", "mixed", False),
        (
            "Dog walk",
            "activity",
            "neighbours",
            2,
            "daily",
            ["companionship"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "GP",
            "person",
            "services",
            3,
            "few_times_a_year",
            ["information"],
            "they_help",
            "positive",
            False,
        ),
    ],
    "baseline_ties": [
        ("Dad", "Leah"),
        ("Dad", "Nan"),
        ("Leah", "Nan"),
        ("Nan", "Uncle Ray"),
        ("Dad", "Uncle Ray"),
    ],
    "review": [
        (
            "Ann next door",
            "person",
            "neighbours",
            2,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Library reading group",
            "group",
            "community",
            3,
            "monthly",
            ["information"],
            "both_ways",
            "positive",
            True,
        ),
    ],
    "review_ties": [("Ann next door", "Dog walk")],
    "review_ends": [],
}

DIVERSE_ACTIVE = {
    "name": "diverse and active",
    "baseline": [
        (
            "Priya",
            "person",
            "friends",
            1,
            "daily",
            ["emotional", "companionship"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Tom",
            "person",
            "friends",
            2,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Choir",
            "group",
            "community",
            2,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            True,
        ),
        (
            "College course",
            "activity",
            "work_education",
            2,
            "weekly",
            ["information"],
            "both_ways",
            "mixed",
            True,
        ),
        (
            "Food bank volunteering",
            "activity",
            "community",
            3,
            "weekly",
            ["practical"],
            "person_helps",
            "positive",
            True,
        ),
        ("Mo", "person", "household", 1, "daily", ["practical"], "both_ways", "mixed", False),
        (
            "Sister",
            "person",
            "family",
            2,
            "monthly",
            ["emotional"],
            "both_ways",
            "stressful",
            False,
        ),
        (
            "Support worker",
            "person",
            "services",
            3,
            "monthly",
            ["practical", "information"],
            "they_help",
            "positive",
            False,
        ),
    ],
    "baseline_ties": [
        ("Priya", "Tom"),
        ("Priya", "Choir"),
        ("Tom", "Choir"),
        ("Mo", "Sister"),
        ("Priya", "Mo"),
    ],
    "review": [
        (
            "Five-a-side",
            "activity",
            "community",
            2,
            "weekly",
            ["companionship"],
            "both_ways",
            "positive",
            True,
        ),
        (
            "Kai",
            "person",
            "work_education",
            2,
            "weekly",
            ["companionship", "information"],
            "both_ways",
            "positive",
            False,
        ),
        (
            "Allotment",
            "place",
            "community",
            3,
            "weekly",
            ["practical"],
            "both_ways",
            "positive",
            True,
        ),
    ],
    "review_ties": [("Kai", "College course"), ("Tom", "Five-a-side"), ("Kai", "Five-a-side")],
    "review_ends": ["Support worker"],
}

PROFILES = [SPARSE_FORMAL, FAMILY_STABLE, DIVERSE_ACTIVE]


def _add_members(person, rows, *, added_on, opportunities, by, index):
    made = {}
    for offset, row in enumerate(rows):
        label, kind, sector, ring, frequency, support, direction, quality, via = row
        opportunity = (
            opportunities[(index + offset) % len(opportunities)]
            if (via and opportunities)
            else None
        )
        made[label] = NetworkMember.objects.create(
            service_user=person,
            label=label,
            kind=kind,
            sector=sector,
            ring=ring,
            frequency=frequency,
            support=list(support),
            direction=direction,
            quality=quality,
            opportunity=opportunity,
            added_on=added_on,
            known_since=None if via else added_on.year - 1 - (offset % 9),
            created_by=by,
        )
    return made


def _tie(person, members, pairs):
    for first, second in pairs:
        a, b = sorted((members[first], members[second]), key=lambda m: m.pk)
        Tie.objects.get_or_create(service_user=person, member_a=a, member_b=b)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))


def seed_person(person, profile, *, index, today, opportunities):
    """Give one person a map of the given profile, with snapshots by stage."""
    by = person.allocated_worker
    baseline_day = today - datetime.timedelta(weeks=10 + index % 4)
    review_day = today - datetime.timedelta(weeks=1 + index % 2)
    members = _add_members(
        person,
        profile["baseline"],
        added_on=baseline_day - datetime.timedelta(days=7),
        opportunities=opportunities,
        by=by,
        index=index,
    )
    _tie(person, members, profile["baseline_ties"])
    if person.stage in HAS_BASELINE and not person.network_snapshots.filter(is_baseline=True):
        # (A baseline may already exist: one is taken automatically when a person
        # leaves assess, as the caseload demo may have moved them on.)
        services.snapshot_take(
            service_user=person,
            label="Baseline",
            by=by,
            is_baseline=True,
            taken_at=_at(baseline_day),
        )
    if person.stage not in HAS_REVIEW:
        return
    members.update(
        _add_members(
            person,
            profile["review"],
            added_on=baseline_day + datetime.timedelta(weeks=3),
            opportunities=opportunities,
            by=by,
            index=index,
        )
    )
    _tie(person, members, profile["review_ties"])
    for label in profile["review_ends"]:
        member = members[label]
        member.ended_on = baseline_day + datetime.timedelta(weeks=5)
        member.end_reason = "No longer involved"
        member.save(update_fields=["ended_on", "end_reason"])
    services.snapshot_take(
        service_user=person,
        label="Review 1",
        by=by,
        taken_at=_at(review_day),
    )


def seed(*, stdout, **options):
    """Give demo people varied network maps (safe to repeat)."""
    people = list(
        ServiceUser.objects.filter(team__name__in=DEMO_TEAMS)
        .select_related("allocated_worker")
        .order_by("id")[:DEMO_PEOPLE_LIMIT]
    )
    if not people:
        stdout.write("Networks: no demo people yet, nothing to map.")
        return
    mapped = set(
        NetworkMember.objects.filter(service_user__in=people).values_list(
            "service_user_id", flat=True
        )
    )
    opportunities = list(Service.objects.order_by("name")[:20])
    today = timezone.localdate()
    created = 0
    for index, person in enumerate(people):
        if person.pk in mapped or person.stage in NO_MAP_YET:
            continue
        seed_person(
            person,
            PROFILES[index % len(PROFILES)],
            index=index,
            today=today,
            opportunities=opportunities,
        )
        created += 1
    stdout.write(f"Networks: {created} demo network maps.")
