import pytest
from django.urls import reverse

from tests.caseload.factories import ServiceUserFactory
from tests.networks.factories import NetworkMemberFactory, make_tie


@pytest.fixture
def url(person):
    """reverse() for a networks URL of ``person`` (or another person given)."""

    def _url(name, who=None, **kwargs):
        return reverse(
            f"networks:{name}", kwargs={"public_id": (who or person).public_id, **kwargs}
        )

    return _url


@pytest.fixture
def small_map(person):
    """Sam (family, inner, stressful), Choir (community group), Library (place); Sam–Choir tied."""
    sam = NetworkMemberFactory(
        service_user=person, label="Sam", sector="family", ring=1, quality="stressful"
    )
    choir = NetworkMemberFactory(
        service_user=person, label="Choir", kind="group", sector="community", ring=2
    )
    library = NetworkMemberFactory(
        service_user=person, label="Library", kind="place", sector="community", ring=3
    )
    tie = make_tie(sam, choir)
    return {"sam": sam, "choir": choir, "library": library, "tie": tie}


@pytest.fixture
def stranger(team_a, owner):
    """Another person, also allocated to owner, with a member of their own."""
    other = ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Quinn")
    return {"person": other, "member": NetworkMemberFactory(service_user=other, label="Robin")}
