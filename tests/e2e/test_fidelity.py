"""Practice fidelity in the browser: a worker sees a person's components on the
journey page and the flag on the board, records a self-assessment; the
supervisor sees the comparison, the dashboard bands and the agency report, where
a stale community link from a directory organisation shows. (Adding a link from
the directory and its flag on the register are driven in test_community.py.)
Every page passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseload.stages import Stage
from community.selectors import months_before
from goals.models import StepWho
from networks.services import snapshot_take
from tests.caseload.factories import ServiceUserFactory
from tests.community.factories import CommunityLinkFactory
from tests.goals.factories import GoalFactory, StepFactory
from tests.networks.factories import NetworkMemberFactory
from tests.toolkit.factories import OrganizationFactory
from workflow.self_assessment import EXAMPLE_PATH
from workflow.self_assessments import questionnaire_load_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reviewing(team_a, owner):
    """Rosa, reviewing: a baseline map and a goal with its levels, steps for her
    only, and no community opportunity tried yet (2 of 4 components)."""
    person = ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Rosa", stage=Stage.REVIEW
    )
    NetworkMemberFactory(service_user=person, label="Sister")
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    goal = GoalFactory(service_user=person, title="Go to the Tuesday walking group")
    StepFactory(goal=goal, who=StepWho.PERSON, what="Buy walking boots")
    return person


def test_fidelity_from_the_journey_to_the_agency_report(
    page, axe, sign_in, owner, supervisor, team_a, reviewing
):
    questionnaire_load_file(EXAMPLE_PATH)
    greenway = OrganizationFactory(name="Greenway Allotment Society")
    lapsed = months_before(timezone.localdate(), 6) - datetime.timedelta(days=10)
    CommunityLinkFactory(
        team=team_a, organisation=greenway, kind="volunteering", last_contact_on=lapsed
    )

    sign_in(page, owner)
    page.goto("/board/")
    card = page.get_by_role("listitem").filter(has_text="Rosa").first
    expect(card.get_by_test_id("card-fidelity")).to_contain_text("Fidelity: 2 of 4 (50%)")
    expect(card).to_contain_text("⚑ Low or moderate")
    axe(page)

    card.get_by_role("link", name=re.compile("See what is missing")).click()
    fidelity = page.locator("#fidelity")
    expect(fidelity.get_by_test_id("fidelity-score")).to_contain_text("2 of 4")
    components = fidelity.get_by_test_id("fidelity-components")
    expect(components.get_by_role("listitem")).to_have_count(7)
    expect(components.get_by_role("listitem").filter(has_text="baseline snapshot")).to_contain_text(
        "In place"
    )
    expect(
        components.get_by_role("listitem").filter(has_text="community opportunity tried")
    ).to_contain_text("Missing")
    expect(components.get_by_role("listitem").filter(has_text="moving-on plan")).to_contain_text(
        "Not due yet"
    )
    axe(page)
    components.get_by_role("link", name="The baseline map").click()
    expect(page.get_by_role("heading", name=re.compile("Baseline"), level=1)).to_be_visible()
    page.go_back()

    page.locator("#fidelity").get_by_role("link", name="Fidelity self-assessments").click()
    expect(page.get_by_role("heading", name="Fidelity self-assessments", level=1)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Record your own").click()
    expect(page.get_by_text("FICTIONAL example")).to_be_visible()
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Answer at least one question.")
    axe(page)
    for question in ("1.", "2.", "3.", "4.", "5."):
        group = page.get_by_role("group", name=re.compile(f"^{re.escape(question)}"))
        group.get_by_label("Yes").check()
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page.get_by_role("status").first).to_contain_text("Self-assessment saved")

    page.get_by_role("link", name="Record Rosa’s answers").click()
    expect(page.get_by_role("group", name=re.compile("^1\\. We looked together"))).to_be_visible()
    page.get_by_role("group", name=re.compile("^1\\.")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("^4\\.")).get_by_label("Not yet").check()
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page.get_by_test_id("agreement")).to_contain_text("agree on 1 of 2")
    axe(page)

    page.context.clear_cookies()
    sign_in(page, supervisor)
    page.goto("/dashboard/")
    table = page.get_by_test_id("fidelity-table")
    expect(table.get_by_role("row", name=re.compile("Whole team"))).to_contain_text("fewer than 5")
    axe(page)
    page.get_by_role("link", name="Self-assessments compared with the records").click()
    expect(page.get_by_role("row", name=re.compile("Rosa"))).to_contain_text("1 agree, 1 differ")
    axe(page)
    page.get_by_role("link", name="Agency report").first.click()
    expect(page.get_by_role("heading", name="Agency report", level=1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(team_a.agency.name)))
    expect(row).to_contain_text("Volunteering placement: 1")
    expect(row.locator("[data-label='Links with contact in the last 6 months']")).to_have_text(
        "0 (0%)"
    )
    axe(page)
    row.get_by_role("link", name=team_a.agency.name).click()
    expect(page.get_by_role("row", name=re.compile("Team A"))).to_be_visible()
    axe(page)
