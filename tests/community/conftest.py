"""Community personas on top of the shared ones (tests/conftest.py): team A and
team B are in different agencies (each factory team gets its own); ``neighbour``
is a worker in team C, another team of team A's agency, so may read team A's
register but not change it."""

import pytest

from tests.accounts.factories import TeamFactory, make_worker


@pytest.fixture
def team_c(team_a):
    return TeamFactory(name="Team C", agency=team_a.agency)


@pytest.fixture
def neighbour(team_c):
    return make_worker(team_c, username="neighbour", first_name="Nia")


@pytest.fixture
def assert_register_access(client, personas, neighbour):
    """Check a community URL for every persona.

    Team A's workers and supervisor (owner, colleague, supervisor) get ``ok``; the
    neighbour in the same agency gets ``ok`` to read or 403 to change (``write``);
    the worker of another agency, the curator and the administrator get 404;
    anonymous visitors are sent to sign in.
    """
    everyone = {**personas, "neighbour": neighbour}

    def _check(url, *, method="get", data=None, ok=(200,), write=False):
        send = getattr(client, method)
        client.logout()
        response = send(url, data or {})
        assert response.status_code == 302, f"anonymous {method} {url}"
        assert response["Location"].startswith("/login/"), f"anonymous {method} {url}"
        expected = {
            "other_worker": (404,),
            "curator": (404,),
            "admin": (404,),
            "neighbour": (403,) if write else ok,
            "owner": ok,
            "colleague": ok,
            "supervisor": ok,
        }
        for name, statuses in expected.items():
            client.force_login(everyone[name])
            response = send(url, data or {})
            assert response.status_code in statuses, (
                f"{name} {method} {url} gave {response.status_code}, expected {statuses}"
            )
        client.logout()

    return _check
