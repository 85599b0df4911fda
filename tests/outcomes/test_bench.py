"""Timings for the report (``make bench``); never run in the normal suite."""

import random
import time

import pytest
from django.utils import timezone

from outcomes.models import Result
from outcomes.scoring import score
from outcomes.services import results_rescore
from tests.caseload.factories import ServiceUserFactory
from tests.outcomes.factories import instrument, load

pytestmark = pytest.mark.slow

RESULTS = 10_000


def test_scoring_10000_stored_results_in_one_pass_takes_under_2_seconds(team_a, owner):
    load()
    rng = random.Random(13)
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(100)]
    versions = {
        code: instrument(code).current_version for code in ("fictional-five", "ucla3", "ons4")
    }
    rows = []
    for index in range(RESULTS):
        code = ("fictional-five", "ucla3", "ons4")[index % 3]
        version = versions[code]
        definition = version.parsed
        answers = {
            item.id: (None if rng.random() < 0.05 else rng.choice(sorted(item.values)))
            for item in definition.items
        }
        outcome = score(definition, answers)
        rows.append(
            Result(
                service_user=people[index % len(people)],
                instrument_id=version.instrument_id,
                scoring_version=version,
                completed_on=timezone.localdate(),
                timepoint="follow_up",
                completed_how="self",
                answers=answers,
                scores=outcome.as_dict(),
                total=outcome.total,
                complete=outcome.complete,
                prorated=outcome.prorated,
                recorded_by=owner,
            )
        )
    Result.objects.bulk_create(rows, batch_size=1000)

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        checked, differing = results_rescore()
        timings.append(time.perf_counter() - started)
    print(
        f"\nresults_rescore: {RESULTS} results (3 instruments) in {min(timings):.2f} s (best of 3)"
    )
    assert (checked, differing) == (RESULTS, 0)
    assert min(timings) < 2.0

    definition = versions["fictional-five"].parsed
    answer_sets = [
        row.answers for row in rows if row.scoring_version_id == versions["fictional-five"].pk
    ]
    started = time.perf_counter()
    for answers in answer_sets:
        score(definition, answers)
    elapsed = time.perf_counter() - started
    print(f"score(): {len(answer_sets)} answer sets in {elapsed * 1000:.0f} ms")


def test_person_page_and_team_figures_timings(client_for, owner, supervisor, team_a):
    from django.urls import reverse

    from outcomes.selectors import team_outcomes
    from tests.outcomes.factories import make_result, ucla

    load()
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(200)]
    five = {"q1": 1, "q2": 2, "q3": 1, "q4": 2, "q5": 1}
    for index, person in enumerate(people):
        make_result(person, "ucla3", ucla(3, 3, 2), timepoint="baseline", days_ago=400)
        make_result(person, "fictional-five", five, timepoint="baseline", days_ago=400)
        for month in range(1 if index else 20):
            make_result(person, "ucla3", ucla(1 + month % 3, 2, 2), days_ago=380 - month * 15)
            make_result(person, "fictional-five", {**five, "q1": month % 4}, days_ago=380 - month)
    client = client_for(owner)
    url = reverse("outcomes:list", args=[people[0].public_id])
    client.get(url)
    best = min(_timed(lambda: client.get(url)) for _ in range(7))
    print(f"\noutcomes page, 2 instruments x 21 results: {best:.1f} ms")
    queryset = type(people[0]).objects.filter(team=team_a)
    best = min(_timed(lambda: team_outcomes(queryset)) for _ in range(7))
    print(f"team_outcomes, 200 people, {Result.objects.count()} results: {best:.1f} ms")
    boss = client_for(supervisor)
    boss.get("/dashboard/")
    best = min(_timed(lambda: boss.get("/dashboard/")) for _ in range(7))
    print(f"dashboard with those outcome figures: {best:.1f} ms")


def _timed(fn):
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000
