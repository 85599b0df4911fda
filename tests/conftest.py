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


@pytest.fixture
def nothing_kept(settings):
    """No page part is kept (``CP_KEPT_PARTS_SECONDS=0``): every visit works the
    page out, for query budgets of that path (the kept path has its own)."""
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "KEPT_PARTS_SECONDS": 0}


@pytest.fixture
def person(team_a, owner):
    """A person in team A allocated to ``owner``."""
    from tests.caseload.factories import ServiceUserFactory

    return ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Pat")


@pytest.fixture
def assert_person_access(client, personas):
    """Check a person-data URL against every persona (DESIGN §6).

    owner and supervisor get ``ok`` (200 by default); colleague (not co-worker),
    other-team worker, curator and admin get 404; anonymous is sent to sign in.
    For POST-only URLs pass ``method="post"`` and the expected success status.
    """
    expected_404 = ["colleague", "other_worker", "curator", "admin"]

    def _check(url, *, method="get", data=None, ok=(200,), allowed=("owner", "supervisor")):
        client.logout()
        send = getattr(client, method)
        response = send(url, data or {})
        assert response.status_code == 302, f"anonymous {method} {url}"
        assert response["Location"].startswith("/login/"), f"anonymous {method} {url}"
        for name in expected_404:
            if name in allowed:
                continue
            client.force_login(personas[name])
            response = send(url, data or {})
            assert response.status_code == 404, f"{name} {method} {url} gave {response.status_code}"
        for name in allowed:
            client.force_login(personas[name])
            response = send(url, data or {})
            assert response.status_code in ok, f"{name} {method} {url} gave {response.status_code}"
        client.logout()

    return _check
