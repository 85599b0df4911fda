"""Demo outcome results: only for the demo teams' people past exploring, safe to run twice."""

import io

from caseload.stages import Stage
from outcomes import demo
from outcomes.models import Result
from tests.accounts.factories import TeamFactory, make_worker
from tests.caseload.factories import ServiceUserFactory


def test_seed_gives_demo_people_baselines_and_follow_ups_once(db, team_a, owner):
    north = TeamFactory(name="North Community Team")
    amira = make_worker(north, username="worker.amira")
    stages = [Stage.GETTING_STARTED, Stage.PLAN, Stage.REVIEW, Stage.MOVING_ON]
    people = [
        ServiceUserFactory(team=north, allocated_worker=amira, stage=stage) for stage in stages
    ]
    elsewhere = ServiceUserFactory(team=team_a, allocated_worker=owner, stage=Stage.REVIEW)
    demo.seed(stdout=io.StringIO())
    counts = {p.stage: Result.objects.filter(service_user=p).count() for p in people}
    assert counts == {
        Stage.GETTING_STARTED: 0,
        Stage.PLAN: 2,  # UCLA-3 and ONS4 baselines
        Stage.REVIEW: 4,  # and a follow-up of each
        Stage.MOVING_ON: 4,
    }
    assert not Result.objects.filter(service_user=elsewhere).exists()
    follow_up = Result.objects.filter(timepoint="follow_up").first()
    assert (
        follow_up.completed_on
        > Result.objects.get(
            service_user=follow_up.service_user,
            instrument=follow_up.instrument,
            timepoint="baseline",
        ).completed_on
    )
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "nothing to add" in out.getvalue()
    assert Result.objects.count() == 10
