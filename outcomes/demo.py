"""Fictional outcome results for the demo people (``seed_demo``).

Only people in the two demo teams, past getting started, with no results yet
are touched, so running it twice changes nothing. Everyone past exploring
connections gets a UCLA-3 and ONS4 baseline from when they started; people
reviewing, moving on or closed also get a follow-up six months on, some better,
some the same, one or two worse. Answers are made up.
"""

import datetime
import random

from django.utils import timezone

from caseload.models import ServiceUser
from caseload.stages import STAGE_ORDER, Stage

from . import services
from .models import Instrument, Result, Timepoint

DEMO_TEAMS = ("North Community Team", "South Community Team")
FOLLOWED_UP = {Stage.REVIEW, Stage.MOVING_ON, Stage.CLOSED}


def _clamp(value, low, high):
    return max(low, min(high, value))


def _answers(code, rng, drift):
    """Made-up answers; ``drift`` > 0 means better (less lonely, more satisfied)."""
    if code == "ucla3":
        return {
            item: _clamp(rng.choice([2, 3, 3]) - drift, 1, 3)
            for item in ("companionship", "left_out", "isolated")
        }
    well = {
        item: _clamp(rng.randint(2, 6) + 2 * drift, 0, 10)
        for item in ("life_satisfaction", "worthwhile", "happiness")
    }
    return {**well, "anxiety": _clamp(rng.randint(4, 8) - 2 * drift, 0, 10)}


def _record(person, instrument, *, day, timepoint, answers):
    services.result_create(
        service_user=person,
        instrument=instrument,
        by=person.allocated_worker,
        values={"completed_on": day, "timepoint": timepoint, "completed_how": "with_worker"},
        answers=answers,
    )


def seed(*, stdout, **options):
    instruments = {
        i.code: i
        for i in Instrument.objects.filter(code__in=("ucla3", "ons4")).select_related(
            "current_version"
        )
    }
    if len(instruments) < 2:
        stdout.write("Outcomes: the shipped measures are not loaded (run migrate); skipped.")
        return
    past_assess = STAGE_ORDER[STAGE_ORDER.index(Stage.ASSESS) + 1 :]
    people = list(
        ServiceUser.objects.filter(team__name__in=DEMO_TEAMS, stage__in=past_assess)
        .exclude(pk__in=Result.objects.values("service_user_id"))
        .select_related("allocated_worker")
        .order_by("pk")
    )
    if not people:
        stdout.write("Outcomes: no demo people without results; nothing to add.")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    added = 0
    for index, person in enumerate(people):
        started = min(person.referral_date + datetime.timedelta(days=21), today)
        follow_up = person.stage in FOLLOWED_UP
        baseline_on = min(started, today - datetime.timedelta(days=190)) if follow_up else started
        drift = (1, 1, 0, 1, -1)[index % 5]
        for code, instrument in instruments.items():
            _record(
                person,
                instrument,
                day=baseline_on,
                timepoint=Timepoint.BASELINE,
                answers=_answers(code, rng, 0),
            )
            added += 1
            if follow_up:
                _record(
                    person,
                    instrument,
                    day=min(baseline_on + datetime.timedelta(days=183), today),
                    timepoint=Timepoint.FOLLOW_UP,
                    answers=_answers(code, rng, drift),
                )
                added += 1
    stdout.write(f"Outcomes: {added} results for {len(people)} demo people.")
