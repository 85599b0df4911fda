"""Shared fixtures: the personas every person-data view is tested against.

- ``owner``: a worker in team A (the allocated worker in later tests)
- ``colleague``: another worker in team A
- ``other_worker``: a worker in team B
- ``supervisor``: supervisor of team A
- ``curator``: toolkit curator, no team role
- ``admin_user``: staff administrator, no team role
- anonymous: the plain ``client`` fixture
"""

import pytest

from tests.accounts.factories import (
    TeamFactory,
    make_admin,
    make_curator,
    make_supervisor,
    make_worker,
)


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Team A")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Team B")


@pytest.fixture
def owner(team_a):
    return make_worker(team_a, username="owner", first_name="Olive")


@pytest.fixture
def colleague(team_a):
    return make_worker(team_a, username="colleague", first_name="Colin")


@pytest.fixture
def other_worker(team_b):
    return make_worker(team_b, username="other", first_name="Otto")


@pytest.fixture
def supervisor(team_a):
    return make_supervisor(team_a, username="supervisor", first_name="Suki")


@pytest.fixture
def curator(db):
    return make_curator(username="curator", first_name="Cora")


@pytest.fixture
def admin_user(db):
    return make_admin(username="admin", first_name="Ada")


@pytest.fixture
def personas(owner, colleague, other_worker, supervisor, curator, admin_user):
    return {
        "owner": owner,
        "colleague": colleague,
        "other_worker": other_worker,
        "supervisor": supervisor,
        "curator": curator,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """Return a test client signed in as the given user (or anonymous for None)."""

    def _client_for(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client_for
