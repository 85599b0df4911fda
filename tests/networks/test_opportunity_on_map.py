"""A member who came through a directory opportunity is drawn with a marked
connector to it, and the table (the picture's text alternative) says the same."""

import pytest
from django.urls import reverse

from tests.networks.factories import NetworkMemberFactory
from tests.toolkit.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_member_from_an_opportunity_has_a_marked_connector_and_says_so_in_the_table(
    client_for, owner, person
):
    walk = ServiceFactory(name="Riverside Walking Group")
    NetworkMemberFactory(service_user=person, label="Walkers", kind="group", opportunity=walk)
    NetworkMemberFactory(service_user=person, label="Sam")
    page = client_for(owner).get(reverse("networks:map", kwargs={"public_id": person.public_id}))
    content = page.content.decode()
    assert content.count('class="opportunity-link"') == 1
    assert "Walkers came through “Riverside Walking Group”" in content
    assert "came through the community opportunity “Riverside Walking Group”" in content
    assert "Came through a community opportunity" in content  # the key to the map
