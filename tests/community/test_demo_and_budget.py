"""Demo community links, and the register pages' query budgets."""

from io import StringIO

import pytest
from django.urls import reverse

from accounts import demo as accounts_demo
from community import demo
from community.models import AgencyListing, CommunityLink
from community.selectors import team_links
from tests.accounts.factories import TeamFactory
from tests.community.factories import CommunityLinkFactory
from tests.toolkit.factories import OrganizationFactory, ServiceFactory
from toolkit import demo as toolkit_demo

pytestmark = pytest.mark.django_db


def test_demo_links_cover_both_agencies_some_stale_one_no_longer_listed():
    out = StringIO()
    accounts_demo.seed(stdout=out)
    toolkit_demo.seed(stdout=out)
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    links = CommunityLink.objects.select_related("team__agency", "organisation")
    assert links.count() == len(demo.LINKS) + 1
    assert {link.team.agency.sector_group for link in links} == {"statutory", "third sector"}
    flagged = {link.name for link in team_links_all()}
    assert "Greenway Allotment Society" in flagged and "Borough Leisure" in flagged
    assert "Northfield Library Service" not in flagged
    assert [link.name for link in links if link.no_longer_listed] == ["Northfield Men's Shed"]
    assert all(link.organisation for link in links if not link.no_longer_listed)
    assert AgencyListing.objects.get().organisation.name == "Riverside Community Trust"
    assert "Community: 7 links." in out.getvalue()


def team_links_all():
    from accounts.models import Team

    for team in Team.objects.all():
        yield from team_links(team).filter(flagged=True)


def _fill(team, n):
    for i in range(n):
        organisation = OrganizationFactory()
        service = ServiceFactory(organization=organisation) if i % 2 else None
        CommunityLinkFactory(team=team, organisation=organisation, service=service)


@pytest.mark.parametrize("name", ["community:team", "community:team_print"])
def test_register_pages_run_a_fixed_number_of_queries(
    client, owner, team_a, django_assert_max_num_queries, name
):
    url = reverse(name, kwargs={"team_id": team_a.public_id})
    client.force_login(owner)
    _fill(team_a, 3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    _fill(team_a, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_index_and_agency_pages_run_a_fixed_number_of_queries(
    client, owner, team_a, django_assert_max_num_queries
):
    client.force_login(owner)
    index = reverse("community:index")
    agency = reverse("community:agency", kwargs={"agency_id": team_a.agency.public_id})
    _fill(team_a, 2)
    with django_assert_max_num_queries(14) as small_index:
        client.get(index)
    with django_assert_max_num_queries(14) as small_agency:
        client.get(agency)
    for n in range(6):
        _fill(TeamFactory(name=f"Extra {n}", agency=team_a.agency), 3)
    with django_assert_max_num_queries(len(small_index.captured_queries)):
        page = client.get(index).content.decode()
    assert "Extra 5" in page
    with django_assert_max_num_queries(len(small_agency.captured_queries)):
        client.get(agency)
