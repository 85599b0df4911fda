import pytest

from accounts.models import TeamMembership, User, shown_name


def test_roles_come_from_team_membership_and_curator_group(personas, team_a):
    assert personas["owner"].is_worker and not personas["owner"].is_supervisor
    assert personas["supervisor"].is_supervisor and not personas["supervisor"].is_worker
    assert personas["supervisor"].supervised_team_ids == {team_a.id}
    assert personas["curator"].is_curator and not personas["curator"].is_worker
    assert not personas["owner"].is_curator
    assert personas["admin"].is_staff and not personas["admin"].is_worker


def test_one_person_can_hold_two_roles(owner, team_a, team_b):
    TeamMembership.objects.create(user=owner, team=team_b, role=TeamMembership.Role.SUPERVISOR)
    owner.refresh_from_db()
    assert owner.worker_team_ids == {team_a.id}
    assert owner.supervised_team_ids == {team_b.id}
    assert owner.role_labels == ["Supervisor", "Worker"]


@pytest.mark.parametrize(
    ("first", "last", "username"),
    [("Olive", "Oyl", "olive"), ("Olive", "", "olive"), ("", "Oyl", "oyl"), ("", "", "jo")],
)
def test_a_name_read_as_values_is_shown_as_the_user_is(first, last, username):
    user = User(first_name=first, last_name=last, username=username)
    assert shown_name(first, last, username) == str(user) == (user.get_full_name() or username)
