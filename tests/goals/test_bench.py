"""Timings for the report (``make bench``); never run in the normal suite."""

import time

import pytest
from django.urls import reverse

from goals.models import Rating, Review
from goals.selectors import goal_summaries, review_history
from tests.caseload.factories import ServiceUserFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review

pytestmark = pytest.mark.slow


def timed(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def test_goals_pages_with_10_goals_and_20_reviews(client_for, owner, person):
    goals = [GoalFactory(service_user=person, importance=i % 4, difficulty=2) for i in range(10)]
    for goal in goals:
        StepFactory(goal=goal)
        StepFactory(goal=goal)
    for r in range(20):
        make_review(person, {g: (r + i) % 5 - 2 for i, g in enumerate(goals)}, days_ago=20 - r)
    client = client_for(owner)
    for name in ("goals:list", "goals:reviews", "goals:review_create"):
        url = reverse(name, args=[person.public_id])
        client.get(url)
        ms = timed(lambda url=url: client.get(url))
        print(f"\n{name}: {ms:.1f} ms (10 goals, 20 reviews, 200 ratings)")
    ms = timed(lambda: review_history(person))
    print(f"review_history (20 reviews x 10 goals): {ms:.1f} ms")
    assert Rating.objects.count() == 200


def test_goal_summaries_for_500_people(team_a, owner):
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(500)]
    goals = GoalFactory.create_batch(1, service_user=people[0])
    for p in people[1:]:
        goals += [GoalFactory(service_user=p), GoalFactory(service_user=p)]
    for p in people[:200]:
        make_review(p, dict.fromkeys(p.goals.all(), 1))
    ms = timed(lambda: goal_summaries([p.pk for p in people]))
    print(
        f"\ngoal_summaries(500 people, ~1000 goals, {Review.objects.count()} reviews): {ms:.1f} ms"
    )
