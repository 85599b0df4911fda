"""A worker adds a community link from a directory organisation and sees it flagged
when contact has lapsed; a colleague elsewhere in the agency can read it. Every
page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.selectors import months_before
from tests.accounts.factories import TeamFactory, make_worker
from tests.toolkit.factories import OrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_adds_a_link_from_the_directory_and_sees_it_flagged_when_stale(
    page, axe, sign_in, owner, team_a
):
    allotments = OrganizationFactory(
        name="Greenway Allotment Society", description="Volunteers who look after the allotments."
    )
    ServiceFactory(name="Shared plot volunteering", organization=allotments)
    lapsed = months_before(timezone.localdate(), 6) - datetime.timedelta(days=10)

    sign_in(page, owner)
    page.get_by_role("link", name="Community links").first.click()
    expect(page.get_by_role("heading", name="Community links", level=1)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Team A").click()
    expect(page.get_by_text("No links recorded yet.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Add a link").click()
    page.get_by_label("Organisation, service or activity").fill("allotment")
    page.get_by_role("button", name="Search the directory").click()
    expect(page.get_by_role("heading", name="Greenway Allotment Society")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Link to Greenway Allotment Society").click()
    expect(
        page.get_by_text("From the community directory: Greenway Allotment Society")
    ).to_be_visible()
    axe(page)

    page.get_by_label("Contact person (optional)").fill("Pat Greene")
    page.get_by_label("Last contact (optional)").fill(lapsed.isoformat())
    page.get_by_role("button", name="Add link").click()
    # The kind is required: an error, and what was typed is kept.
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose the kind of link.")
    expect(page.get_by_label("Contact person (optional)")).to_have_value("Pat Greene")
    axe(page)
    page.get_by_label("Kind of link").select_option("volunteering")
    page.get_by_role("button", name="Add link").click()

    expect(page.get_by_role("heading", name="Greenway Allotment Society", level=1)).to_be_visible()
    expect(page.get_by_text("⚑ No contact in 6 months")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Team A").click()
    page.get_by_label("Contact", exact=True).select_option("flagged")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="1 link found")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Greenway Allotment Society"))
    expect(row).to_contain_text("No contact in 6 months")
    axe(page)

    page.get_by_role("link", name="Printable list").click()
    expect(page.get_by_role("row", name=re.compile("⚑ Greenway Allotment Society"))).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Back to the register").click()

    page.get_by_role("link", name="Clear all filters").click()
    page.get_by_role(
        "button", name=re.compile("^In touch today.*Greenway Allotment Society")
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Recorded contact")
    expect(page.get_by_text("⚑ No contact in 6 months")).to_have_count(0)
    axe(page)


def test_a_colleague_in_another_team_of_the_agency_reads_the_register(page, axe, sign_in, team_a):
    from tests.community.factories import CommunityLinkFactory

    CommunityLinkFactory(team=team_a, name="Northfield Library Service", kind="shared_space")
    reader = make_worker(TeamFactory(name="Team C", agency=team_a.agency), username="nia")
    sign_in(page, reader)
    page.goto("/community/")
    page.get_by_role("link", name="Team A").click()
    expect(page.get_by_role("status")).to_contain_text("Only the team’s own workers")
    expect(page.get_by_role("link", name="Add a link")).to_have_count(0)
    page.get_by_role("link", name="Northfield Library Service").click()
    expect(page.get_by_text("⚑ No contact recorded")).to_be_visible()
    axe(page)
