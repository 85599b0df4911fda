"""Demo goals: only for the demo teams, varied, and safe to run twice."""

import io

import pytest

from caseload.stages import Stage
from goals import demo, gas
from goals.models import Goal, Rating, Review, Step
from tests.accounts.factories import TeamFactory, make_worker
from tests.caseload.factories import ServiceUserFactory, SessionFactory


@pytest.fixture
def demo_people(db):
    north = TeamFactory(name="North Community Team")
    south = TeamFactory(name="South Community Team")
    amira = make_worker(north, username="worker.amira")
    chloe = make_worker(south, username="worker.chloe")
    people = []
    stages = [
        Stage.PLAN,
        Stage.CONNECT,
        Stage.REVIEW,
        Stage.MOVING_ON,
        Stage.ASSESS,
        Stage.REFERRAL,
    ]
    for i in range(12):
        team, worker = (north, amira) if i % 2 else (south, chloe)
        person = ServiceUserFactory(
            team=team, allocated_worker=worker, stage=stages[i % len(stages)]
        )
        SessionFactory(service_user=person)
        people.append(person)
    return people


def test_seed_gives_demo_people_goals_steps_and_reviews(demo_people):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "Goals:" in out.getvalue()
    for person in demo_people:
        goals = Goal.objects.filter(service_user=person)
        reviews = Review.objects.filter(service_user=person)
        if person.stage == Stage.REFERRAL:
            assert not goals.exists()
        elif person.stage == Stage.ASSESS:
            assert goals.count() == 1 and not reviews.exists()
        else:
            assert 2 <= goals.count() <= 3
            assert 2 <= reviews.count() <= 3
            assert Step.objects.filter(goal__service_user=person).count() >= 2
            assert all(g.level_0 for g in goals)
    # Each stored T-score matches its ratings, and progress varies between people.
    latest = set()
    for review in Review.objects.prefetch_related("ratings"):
        ratings = list(review.ratings.all())
        assert review.t_score == pytest.approx(
            gas.t_score([r.level for r in ratings], [r.weight for r in ratings])
        )
        latest.add(round(review.t_score or 0))
    assert len(latest) > 3
    assert Rating.objects.values("level").distinct().count() >= 4


def test_seed_twice_changes_nothing(demo_people):
    demo.seed(stdout=io.StringIO())
    counts = (Goal.objects.count(), Step.objects.count(), Review.objects.count())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert (Goal.objects.count(), Step.objects.count(), Review.objects.count()) == counts
    assert "nothing to add" in out.getvalue()


def test_seed_leaves_other_teams_alone(person):
    demo.seed(stdout=io.StringIO())
    assert not Goal.objects.exists()
