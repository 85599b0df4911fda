"""The access rules in caseload/access.py, persona by persona (DESIGN §6)."""

import uuid

import pytest
from django.http import Http404

from accounts.models import TeamMembership
from caseload.access import (
    can_edit_session,
    get_service_user_for,
    supervises,
    visible_service_users,
)
from caseload.models import AuditEvent
from tests.accounts.factories import make_worker
from tests.caseload.factories import ServiceUserFactory, SessionFactory


def test_owner_sees_the_people_allocated_to_them(owner, person):
    assert list(visible_service_users(owner)) == [person]


def test_colleague_in_the_same_team_does_not_see_someone_elses_person(colleague, person):
    assert person not in visible_service_users(colleague)
    with pytest.raises(Http404):
        get_service_user_for(colleague, person.public_id)


def test_colleague_sees_the_person_once_a_co_worker(colleague, person):
    person.co_workers.add(colleague)
    assert list(visible_service_users(colleague)) == [person]
    assert get_service_user_for(colleague, person.public_id, write=True) == person


def test_co_worker_listed_once_even_when_also_allocated(owner, person):
    person.co_workers.add(owner)
    assert visible_service_users(owner).count() == 1


def test_worker_in_another_team_sees_nothing(other_worker, person):
    assert not visible_service_users(other_worker).exists()
    with pytest.raises(Http404):
        get_service_user_for(other_worker, person.public_id)


def test_supervisor_sees_everyone_in_their_team_and_nobody_else(
    supervisor, person, team_b, other_worker
):
    elsewhere = ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    visible = set(visible_service_users(supervisor))
    assert person in visible
    assert elsewhere not in visible
    assert supervises(supervisor, person)
    assert not supervises(supervisor, elsewhere)


@pytest.mark.parametrize("name", ["curator", "admin"])
def test_curators_and_admins_without_a_team_role_see_no_person_data(personas, person, name):
    user = personas[name]
    assert not visible_service_users(user).exists()
    with pytest.raises(Http404):
        get_service_user_for(user, person.public_id)


def test_anonymous_and_inactive_users_see_nothing(person, owner):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_service_users(AnonymousUser()).exists()
    owner.is_active = False
    owner.save()
    assert not visible_service_users(owner).exists()


def test_worker_who_leaves_the_team_loses_access(owner, person, team_a):
    TeamMembership.objects.filter(user=owner, team=team_a).delete()
    owner = type(owner).objects.get(pk=owner.pk)
    assert not visible_service_users(owner).exists()


def test_unknown_or_malformed_id_is_404(owner):
    with pytest.raises(Http404):
        get_service_user_for(owner, uuid.uuid4())
    with pytest.raises(Http404):
        get_service_user_for(owner, "not-a-uuid")


def test_author_may_edit_a_session_for_seven_days(owner, colleague, supervisor, person):
    import datetime

    from django.utils import timezone

    session = SessionFactory(service_user=person, author=owner, date=datetime.date(2026, 10, 20))
    logged = timezone.make_aware(datetime.datetime(2026, 11, 1, 15, 0))
    type(session).objects.filter(pk=session.pk).update(created_at=logged)
    session.refresh_from_db()
    assert can_edit_session(owner, session, today=datetime.date(2026, 11, 8))
    assert not can_edit_session(owner, session, today=datetime.date(2026, 11, 9))
    assert can_edit_session(supervisor, session, today=datetime.date(2027, 1, 1))
    person.co_workers.add(colleague)
    assert not can_edit_session(colleague, session, today=datetime.date(2026, 11, 2))


def test_person_page_follows_the_rules_for_every_persona(assert_person_access, person):
    assert_person_access(person.get_absolute_url())


def test_viewing_a_person_is_audited_without_content(client, owner, person):
    client.force_login(owner)
    client.get(person.get_absolute_url())
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.service_user) == (owner, "view", person)
    assert event.object_type == "serviceuser"


def test_worker_with_roles_in_two_teams_sees_only_their_own(team_a, team_b, owner):
    TeamMembership.objects.create(user=owner, team=team_b, role="worker")
    other = make_worker(team_b)
    mine = ServiceUserFactory(team=team_b, allocated_worker=owner)
    theirs = ServiceUserFactory(team=team_b, allocated_worker=other)
    owner = type(owner).objects.get(pk=owner.pk)
    visible = set(visible_service_users(owner))
    assert mine in visible and theirs not in visible


@pytest.mark.parametrize(
    "name", ["owner", "colleague", "other_worker", "supervisor", "curator", "admin"]
)
def test_people_worked_on_are_the_visible_ones_allocated_or_co_worked(
    personas, person, team_a, team_b, name
):
    from caseload.access import worked_on_by

    user = personas[name]
    co_worked = ServiceUserFactory(team=team_a, allocated_worker=personas["colleague"])
    co_worked.co_workers.add(personas["owner"], personas["supervisor"])
    ServiceUserFactory(team=team_a, allocated_worker=personas["supervisor"])
    ServiceUserFactory(team=team_b, allocated_worker=personas["other_worker"])
    # Allocated to the owner in a team where they have no role: not theirs to see.
    ServiceUserFactory(team=team_b, allocated_worker=personas["owner"]).co_workers.add(
        personas["colleague"]
    )
    expected = {
        p
        for p in visible_service_users(user)
        if p.allocated_worker_id == user.pk or user in p.co_workers.all()
    }
    assert set(worked_on_by(user)) == expected
    assert bool(expected) == (name in ("owner", "colleague", "other_worker", "supervisor"))


@pytest.mark.parametrize(
    "name", ["owner", "colleague", "other_worker", "supervisor", "curator", "admin"]
)
def test_co_worked_people_are_seen_in_the_same_one_query(
    personas, person, team_a, team_b, name, django_assert_max_num_queries
):
    user = personas[name]
    co_worked = ServiceUserFactory(team=team_a, allocated_worker=personas["supervisor"])
    co_worked.co_workers.add(personas["colleague"], personas["owner"])
    ServiceUserFactory(team=team_b, allocated_worker=personas["other_worker"])
    not_theirs = ServiceUserFactory(team=team_b, allocated_worker=personas["owner"])  # no role in B
    _ = user.worker_team_ids, user.supervised_team_ids  # read with the user on each request
    with django_assert_max_num_queries(1):  # none for those who see no one
        seen = set(visible_service_users(user))
    assert (co_worked in seen) == (name in ("owner", "colleague", "supervisor"))
    assert not_theirs not in seen
    assert bool(seen) == (name in ("owner", "colleague", "other_worker", "supervisor"))
