import pytest

from tests.goals.factories import GoalFactory, StepFactory


@pytest.fixture
def goal(person):
    return GoalFactory(service_user=person, title="I want to go to the Tuesday walking group")


@pytest.fixture
def step(goal):
    return StepFactory(goal=goal, what="Find out where the group meets")


@pytest.fixture
def other_person(team_b, other_worker):
    from tests.caseload.factories import ServiceUserFactory

    return ServiceUserFactory(team=team_b, allocated_worker=other_worker, preferred_name="Quinn")


@pytest.fixture
def others_goal(other_person):
    return GoalFactory(service_user=other_person, title="Quinn's private goal")
