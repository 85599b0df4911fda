"""Browser journeys through the person's data rights, each page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from caseload.models import ErasureRequest, ServiceUser, SubjectAccessCopy
from tests.accounts.factories import make_supervisor
from tests.networks.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_erasure_is_requested_approved_by_a_second_supervisor_and_carried_out(
    page, axe, sign_in, supervisor, team_a, person
):
    person.reference = "NHS-4421"
    person.save()
    second = make_supervisor(team_a, username="second", first_name="Sasha", last_name="Reid")

    sign_in(page, supervisor)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Data rights").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data rights")
    axe(page)
    page.get_by_role("link", name="Request erasure of this record").click()
    axe(page)
    page.get_by_role("button", name="Request erasure").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose the legal basis")
    axe(page)
    page.get_by_label(re.compile("Consent withdrawn")).check()
    page.get_by_label("Reason").fill("Pat withdrew consent in writing.")
    page.get_by_role("button", name="Request erasure").click()
    expect(page.get_by_text("A second person must approve it")).to_be_visible()
    expect(page.get_by_text("someone else must approve it")).to_be_visible()
    axe(page)

    page.context.clear_cookies()
    sign_in(page, second)
    page.goto("/dashboard/")
    page.get_by_role("link", name=re.compile("NHS-4421")).click()
    axe(page)
    page.get_by_label("Approve the erasure").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The erasure is approved")).to_be_visible()
    axe(page)
    page.get_by_label("Type the record's reference to confirm").fill("NHS-4412")
    page.get_by_role("button", name="Erase the record").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("does not match")
    axe(page)
    assert ServiceUser.objects.filter(pk=person.pk).exists()
    page.get_by_label("Type the record's reference to confirm").fill("NHS-4421")
    page.get_by_role("button", name="Erase the record").click()
    expect(page.get_by_text("The record NHS-4421 has been erased")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Pat withdrew consent in writing.")
    axe(page)
    assert not ServiceUser.objects.filter(pk=person.pk).exists()
    assert ErasureRequest.objects.get().status == "erased"


def test_supervisor_records_a_request_for_a_copy_and_prepares_it(
    page, axe, sign_in, supervisor, person
):
    NetworkMemberFactory(service_user=person, label="Jo")
    sign_in(page, supervisor)
    page.goto(f"/people/{person.public_id}/data-rights/")
    page.get_by_role("link", name="Record a request for a copy").click()
    axe(page)
    page.get_by_label("Who asked").fill("Pat themselves")
    page.get_by_role("button", name="Record the request").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Who asked")).to_have_value("Pat themselves")
    axe(page)
    page.get_by_label("Date received").fill("2026-01-31")
    page.get_by_label("How their identity was checked").fill("Seen in person with a bus pass")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_text("The copy is due by 28 February 2026")).to_be_visible()
    axe(page)
    page.get_by_label("Show their names").check()
    page.get_by_role("button", name="Prepare the copy").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why other people")
    axe(page)
    page.get_by_label(re.compile("Pseudonymise them")).check()
    page.get_by_role("button", name="Prepare the copy").click()
    expect(page.get_by_text("The copy is ready to download")).to_be_visible()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the copy")).click()
    assert download.value.suggested_filename.endswith(".zip")
    assert not SubjectAccessCopy.objects.get().third_parties_shown
