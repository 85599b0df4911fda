import pytest

from tests.outcomes.factories import load


@pytest.fixture
def fictional_instrument(db):
    return load()


@pytest.fixture
def other_person(team_b, other_worker):
    from tests.caseload.factories import ServiceUserFactory

    return ServiceUserFactory(team=team_b, allocated_worker=other_worker, preferred_name="Quinn")
