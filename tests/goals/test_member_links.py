"""A goal's links to the people, groups and places in the person's network map."""

import datetime

from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent
from goals.models import Goal
from tests.caseload.factories import ServiceUserFactory
from tests.goals.factories import GoalFactory
from tests.goals.test_goals import edit_data, goal_data
from tests.networks.factories import NetworkMemberFactory


def test_a_goal_links_to_members_of_the_persons_map(client_for, owner, person):
    sister = NetworkMemberFactory(service_user=person, label="Jo (sister)", sector="family")
    NetworkMemberFactory(service_user=person, label="Allotment group", kind="group")
    url = reverse("goals:create", args=[person.public_id])
    response = client_for(owner).post(url, goal_data(members=[str(sister.public_id)]))
    assert response.status_code == 302
    goal = Goal.objects.get(service_user=person)
    assert list(goal.members.all()) == [sister]
    assert "members" in AuditEvent.objects.get(action="create", object_type="goal").fields
    page = client_for(owner).get(goal.get_absolute_url()).content.decode()
    assert "Jo (sister)" in page


def test_a_member_of_another_persons_map_is_a_field_error(client_for, owner, person, team_a):
    NetworkMemberFactory(service_user=person)
    someone_else = ServiceUserFactory(team=team_a, allocated_worker=owner)
    stranger = NetworkMemberFactory(service_user=someone_else, label="Not theirs")
    url = reverse("goals:create", args=[person.public_id])
    response = client_for(owner).post(url, goal_data(members=[str(stranger.public_id)]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose people, groups or places from this person" in html
    assert "Error:" in html
    assert not Goal.objects.exists()


def test_ended_members_are_not_offered_for_new_goals(client_for, owner, person):
    NetworkMemberFactory(service_user=person, label="Still here")
    NetworkMemberFactory(
        service_user=person,
        label="Moved away",
        ended_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    html = client_for(owner).get(reverse("goals:create", args=[person.public_id])).content
    assert b"Still here" in html and b"Moved away" not in html


def test_without_a_map_the_form_says_how_to_link_members(client_for, owner, person):
    html = client_for(owner).get(reverse("goals:create", args=[person.public_id])).content
    assert "Nobody is in Pat’s network map yet".encode() in html


def test_editing_a_goal_keeps_a_link_to_a_member_who_has_since_ended(client_for, owner, person):
    member = NetworkMemberFactory(service_user=person, label="Old friend")
    goal = GoalFactory(service_user=person)
    goal.members.add(member)
    member.ended_on = timezone.localdate()
    member.save()
    url = reverse("goals:edit", args=[person.public_id, goal.public_id])
    response = client_for(owner).post(url, edit_data(goal, members=[str(member.public_id)]))
    assert response.status_code == 302
    assert list(goal.members.all()) == [member]
