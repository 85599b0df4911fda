"""Goal facts for other pages, and review-due rules, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalStatus
from goals.selectors import goal_summaries, review_history, reviews_for
from tests.caseload.factories import ServiceUserFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review


def make_people(team, worker, n, *, goals=2, reviews=1):
    people = []
    for _ in range(n):
        p = ServiceUserFactory(team=team, allocated_worker=worker)
        gs = [GoalFactory(service_user=p) for _ in range(goals)]
        for g in gs:
            StepFactory(goal=g, due_on=timezone.localdate() - datetime.timedelta(days=1))
        for r in range(reviews):
            make_review(p, dict.fromkeys(gs, 1), days_ago=10 * (reviews - r))
        people.append(p)
    return people


def test_goal_summaries_report_what_a_dashboard_needs(person, goal):
    GoalFactory(service_user=person, status=GoalStatus.ACHIEVED)
    GoalFactory(service_user=person, level_0="")
    StepFactory(goal=goal, due_on=timezone.localdate() - datetime.timedelta(days=3))
    StepFactory(goal=goal, due_on=timezone.localdate() + datetime.timedelta(days=3))
    make_review(person, {goal: -1}, days_ago=100)
    latest = make_review(person, {goal: 1}, days_ago=70)
    summary = goal_summaries([person.pk])[person.pk]
    assert summary == {
        "active_goals": 2,
        "active_goals_with_levels": 1,
        "active_goals_without_levels": 1,
        "review_count": 2,
        "last_review_at": latest.reviewed_at,
        "latest_t_score": pytest.approx(60.0),
        "review_due": True,  # 70 days > 8 weeks
        "overdue_steps": 1,
        "achieved_goals": 1,
    }


def test_a_goal_has_levels_only_when_all_five_are_described(person):
    from goals.models import LEVEL_FIELDS

    for field in LEVEL_FIELDS.values():
        GoalFactory(service_user=person, **{field: ""})
    summary = goal_summaries([person.pk])[person.pk]
    assert (summary["active_goals_with_levels"], summary["active_goals_without_levels"]) == (0, 5)
    GoalFactory(service_user=person)
    summary = goal_summaries([person.pk])[person.pk]
    assert (summary["active_goals_with_levels"], summary["active_goals_without_levels"]) == (1, 5)


def test_people_without_goals_get_zeros(person):
    assert goal_summaries([person.pk])[person.pk]["active_goals"] == 0
    assert goal_summaries([person.pk])[person.pk]["review_due"] is False


def test_goal_summaries_accept_a_queryset(person, goal):
    from caseload.models import ServiceUser

    assert goal_summaries(ServiceUser.objects.all())[person.pk]["active_goals"] == 1


@pytest.mark.parametrize("n", [3, 30])
def test_goal_summaries_take_four_queries_at_any_size(team_a, owner, n, django_assert_num_queries):
    people = make_people(team_a, owner, n)
    with django_assert_num_queries(4):
        summaries = goal_summaries([p.pk for p in people])
    assert len(summaries) == n


def test_review_due_after_the_interval(person, goal, settings):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "REVIEW_INTERVAL_WEEKS": 4}
    make_review(person, {goal: 0}, days_ago=20)
    assert goal_summaries([person.pk])[person.pk]["review_due"] is False
    make_review(person, {goal: 0}, days_ago=40)  # an older one doesn't change the last
    assert goal_summaries([person.pk])[person.pk]["review_due"] is False
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "REVIEW_INTERVAL_WEEKS": 2}
    assert goal_summaries([person.pk])[person.pk]["review_due"] is True


def test_review_due_with_no_review_once_a_goal_is_older_than_the_interval(person):
    GoalFactory(service_user=person, set_on=timezone.localdate() - datetime.timedelta(weeks=7))
    assert goal_summaries([person.pk])[person.pk]["review_due"] is False
    GoalFactory(service_user=person, set_on=timezone.localdate() - datetime.timedelta(weeks=9))
    assert goal_summaries([person.pk])[person.pk]["review_due"] is True


def test_goals_page_says_review_due(client_for, owner, person):
    GoalFactory(service_user=person, set_on=timezone.localdate() - datetime.timedelta(weeks=9))
    page = client_for(owner).get(reverse("goals:list", args=[person.public_id])).content.decode()
    assert "Review due." in page


def test_reviews_for_is_newest_first(person, goal):
    old = make_review(person, {goal: -1}, days_ago=30)
    new = make_review(person, {goal: 1}, days_ago=1)
    assert list(reviews_for(person)) == [new, old]


def test_t_score_history_for_20_reviews_of_10_goals_is_one_batch_of_queries(
    person, django_assert_num_queries
):
    goals = [GoalFactory(service_user=person, importance=i % 4, difficulty=2) for i in range(10)]
    for r in range(20):
        make_review(person, {g: (r + i) % 5 - 2 for i, g in enumerate(goals)}, days_ago=20 - r)
    with django_assert_num_queries(2):
        history = review_history(person)
        scores = [row["t_score"] for row in history["rows"]]
    assert len(scores) == 20 and len(history["goals"]) == 10
    stored = [r.t_score for r in history["reviews"]]
    assert scores == pytest.approx(stored)


def test_goal_summaries_from_a_queryset_give_zeros_for_people_without_goals(person, team_a, owner):
    from caseload.models import ServiceUser

    someone = ServiceUserFactory(team=team_a, allocated_worker=owner)
    GoalFactory(service_user=person)
    summaries = goal_summaries(ServiceUser.objects.values("pk"))
    assert summaries[person.pk]["active_goals"] == 1
    assert summaries[someone.pk]["active_goals"] == 0
    assert summaries[someone.pk]["latest_t_score"] is None
