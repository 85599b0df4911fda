"""A link to a directory entry that goes away is kept and reads "no longer listed"."""

import pytest
from django.urls import reverse

from community.models import AgencyListing, CommunityLink
from tests.community.factories import CommunityLinkFactory
from tests.toolkit.factories import OrganizationFactory, ServiceFactory
from toolkit.models import Service

pytestmark = pytest.mark.django_db


def _from_directory(team, organisation, service=None):
    return CommunityLinkFactory(
        team=team,
        organisation=organisation,
        service=service,
        service_ref=service.public_id if service else None,
        service_name=service.name if service else "",
    )


def test_deleting_the_organisation_keeps_the_link_with_its_name(client, owner, team_a):
    shed = OrganizationFactory(name="Northfield Men's Shed")
    link = _from_directory(team_a, shed)
    shed.delete()
    link.refresh_from_db()
    assert link.organisation is None and link.name == "Northfield Men's Shed"
    assert link.no_longer_listed
    client.force_login(owner)
    register = client.get(reverse("community:team", kwargs={"team_id": team_a.public_id}))
    assert "Northfield Men&#x27;s Shed" in register.content.decode()
    assert "No longer listed in the directory" in register.content.decode()
    detail = client.get(link.get_absolute_url()).content.decode()
    assert "No longer listed in the directory" in detail


def test_deleting_a_service_keeps_the_link_to_its_organisation(team_a):
    library = OrganizationFactory(name="Library")
    group = ServiceFactory(name="Reading group", organization=library)
    link = _from_directory(team_a, library, group)
    group.delete()
    link.refresh_from_db()
    assert link.organisation == library and link.service is None
    assert link.service_gone and not link.organisation_gone
    assert link.display_name == "Library: Reading group"


def test_a_service_that_no_longer_runs_counts_as_no_longer_listed(team_a):
    group = ServiceFactory(name="Reading group")
    link = _from_directory(team_a, group.organization, group)
    assert not link.no_longer_listed
    Service.objects.filter(pk=group.pk).update(status=Service.Status.DEFUNCT)
    link.refresh_from_db()
    assert link.no_longer_listed


def test_deleting_an_organisation_with_services_keeps_every_link(team_a, team_c):
    library = OrganizationFactory(name="Library")
    group = ServiceFactory(name="Reading group", organization=library)
    _from_directory(team_a, library, group)
    _from_directory(team_c, library)
    library.delete()
    assert CommunityLink.objects.count() == 2
    assert all(link.no_longer_listed for link in CommunityLink.objects.all())


def test_a_link_typed_in_by_name_is_never_no_longer_listed(team_a):
    assert not CommunityLinkFactory(team=team_a).no_longer_listed


def test_an_agencys_directory_organisation_that_goes_shows_no_longer_listed(client, owner, team_a):
    trust = OrganizationFactory(name="Riverside Community Trust")
    listing = AgencyListing.objects.create(agency=team_a.agency, organisation=trust)
    assert (listing.organisation_name, listing.organisation_ref) == (trust.name, trust.public_id)
    trust.delete()
    client.force_login(owner)
    page = client.get(
        reverse("community:agency", kwargs={"agency_id": team_a.agency.public_id})
    ).content.decode()
    assert "Riverside Community Trust" in page and "No longer listed" in page


def test_unlinking_an_agency_on_purpose_is_not_no_longer_listed(team_a):
    listing = AgencyListing.objects.create(agency=team_a.agency, organisation=OrganizationFactory())
    listing.organisation = None
    listing.save()
    listing.refresh_from_db()
    assert not listing.no_longer_listed and listing.organisation_name == ""


def test_administrators_set_an_agencys_directory_organisation_on_its_admin_page(
    client, admin_user, team_a
):
    trust = OrganizationFactory(name="Riverside Community Trust")
    url = reverse("admin:accounts_agency_change", args=[team_a.agency.pk])
    client.force_login(admin_user)
    assert "Directory organisation" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": team_a.agency.name,
            "sector": team_a.agency.sector,
            "area": "",
            "listing-TOTAL_FORMS": "1",
            "listing-INITIAL_FORMS": "0",
            "listing-0-organisation": trust.pk,
            "teams-TOTAL_FORMS": "1",
            "teams-INITIAL_FORMS": "1",
            "teams-0-id": team_a.pk,
            "teams-0-agency": team_a.agency.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = AgencyListing.objects.get(agency=team_a.agency)
    assert (listing.organisation, listing.organisation_ref) == (trust, trust.public_id)
