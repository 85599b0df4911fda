"""Goals pages run a fixed number of queries, whatever the amount of data."""

import pytest
from django.urls import reverse

from tests.caseload.factories import SessionFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from toolkit.models import Organization, Service


def fill(person, n):
    org = Organization.objects.create(name="Org")
    goals = []
    for i in range(n):
        goal = GoalFactory(service_user=person, importance=i % 4, difficulty=1)
        goal.opportunities.add(Service.objects.create(organization=org, name=f"Service {i}"))
        StepFactory(goal=goal)
        StepFactory(goal=goal)
        goals.append(goal)
    ended = GoalFactory(service_user=person, status="replaced", replaced_by=goals[0])
    for r in range(n):
        make_review(person, dict.fromkeys(goals, r % 5 - 2), days_ago=n - r)
    for goal in goals[:3]:
        SessionFactory(service_user=person).goals.add(goal)
    return goals, ended


# Measured: the same at 3 and 30 goals/reviews. Includes sign-in session, user,
# team roles and navigation permissions (about 8 queries of every page).
# Each +1 for the risk alert banner (safety).
BUDGETS = {"goals:list": 14, "goals:review_create": 12, "goals:reviews": 13}


@pytest.mark.parametrize("name", ["goals:list", "goals:review_create", "goals:reviews"])
@pytest.mark.parametrize("n", [3, 30])
def test_goal_pages_have_a_fixed_query_budget(
    client_for, owner, person, name, n, django_assert_num_queries, nothing_kept
):
    fill(person, n)
    client = client_for(owner)
    url = reverse(name, args=[person.public_id])
    client.get(url)  # warm the session
    with django_assert_num_queries(BUDGETS[name]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_goal_page_has_a_fixed_query_budget(
    client_for, owner, person, n, django_assert_num_queries
):
    goals, _ended = fill(person, n)
    client = client_for(owner)
    client.get(goals[0].get_absolute_url())
    # +1: the risk alert banner (safety)
    with django_assert_num_queries(19):
        assert client.get(goals[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_saving_a_review_has_a_fixed_query_budget(
    client_for, owner, person, n, django_assert_num_queries
):
    goals, _ = fill(person, n)
    data = {
        "reviewed_on": "",
        "note": "",
        "submission_token": "f2b7c0f2-5d7d-4c5e-9d43-6e0f1f0b1c0a",
    }
    from django.utils import timezone

    data["reviewed_on"] = timezone.localdate().isoformat()
    for g in goals:
        data[f"level_{g.public_id}"] = "1"
    client = client_for(owner)
    # 16 plus the savepoint (SAVEPOINT, RELEASE) in which create_once builds the review.
    with django_assert_num_queries(18):
        response = client.post(reverse("goals:review_create", args=[person.public_id]), data)
    assert response.status_code == 302
