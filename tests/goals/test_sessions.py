"""Which goals a session worked on (the link lives in goals)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from goals.models import GoalStatus, SessionGoal
from tests.caseload.factories import SessionFactory
from tests.goals.factories import GoalFactory


def url_for(person, session):
    return reverse(
        "goals:session_goals",
        kwargs={"public_id": person.public_id, "session_id": session.public_id},
    )


def test_worker_ticks_the_goals_a_session_worked_on(client_for, owner, person, goal):
    second = GoalFactory(service_user=person, title="Cook for friends")
    session = SessionFactory(service_user=person)
    client = client_for(owner)
    page = client.get(url_for(person, session)).content.decode()
    assert goal.title in page and "Cook for friends" in page
    response = client.post(url_for(person, session), {"goals": [str(goal.public_id)]})
    assert response.status_code == 302
    assert list(session.goals.all()) == [goal]
    client.post(url_for(person, session), {"goals": [str(second.public_id)]})
    assert list(session.goals.all()) == [second]
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Sessions that worked on this goal" in page and url_for(person, session) in page


def test_another_persons_goal_cannot_be_ticked(client_for, owner, person, others_goal):
    session = SessionFactory(service_user=person)
    response = client_for(owner).post(
        url_for(person, session), {"goals": [str(others_goal.public_id)]}
    )
    assert response.status_code == 200
    assert "Choose from this person" in response.content.decode()
    assert not SessionGoal.objects.exists()


def test_a_garbled_goal_id_is_a_field_error_not_a_500(client_for, owner, person, goal):
    session = SessionFactory(service_user=person)
    response = client_for(owner).post(url_for(person, session), {"goals": ["not-a-uuid"]})
    assert response.status_code == 200
    assert not SessionGoal.objects.exists()


def test_ended_goals_are_offered_only_if_already_linked(client_for, owner, person, goal):
    old = GoalFactory(service_user=person, status=GoalStatus.ACHIEVED, title="Old achieved goal")
    session = SessionFactory(service_user=person)
    assert (
        "Old achieved goal" not in client_for(owner).get(url_for(person, session)).content.decode()
    )
    SessionGoal.objects.create(session=session, goal=old)
    assert "Old achieved goal" in client_for(owner).get(url_for(person, session)).content.decode()


def test_an_old_session_by_someone_else_is_read_only(client_for, owner, colleague, person, goal):
    session = SessionFactory(
        service_user=person,
        author=colleague,
        date=timezone.localdate() - datetime.timedelta(days=30),
    )
    client = client_for(owner)
    page = client.get(url_for(person, session)).content.decode()
    assert "Only the session's author" in page
    response = client.post(url_for(person, session), {"goals": [str(goal.public_id)]})
    assert response.status_code == 403  # the same refusal as editing the session itself
    assert "You do not have permission" in response.content.decode()
    assert not SessionGoal.objects.exists()
