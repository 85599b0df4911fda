"""Browser journeys: from the directory, suggest a group to a person and see it on
their goal and journey; a curator registers a feed. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_curator, make_worker
from tests.caseload.factories import ServiceUserFactory
from tests.goals.factories import GoalFactory
from tests.toolkit.factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def toolkit_ready(db):
    from toolkit.models import PracticeArea
    from toolkit.practice_areas import ensure_practice_areas

    ensure_practice_areas(PracticeArea)  # an earlier browser test's flush removes them


def test_worker_suggests_a_group_for_a_goal_from_the_directory(
    page, axe, sign_in, team_a, toolkit_ready
):
    worker = make_worker(team_a, username="wendy")
    maggie = ServiceUserFactory(team=team_a, allocated_worker=worker, preferred_name="Maggie")
    goal = GoalFactory(service_user=maggie, title="Meet people who like walking")
    ServiceFactory(name="Riverside Walking Group", description="A gentle walk, then tea.")
    for n in range(8):
        ServiceFactory(name=f"Other group {n}")

    sign_in(page, worker)
    page.goto("/toolkit/directory/")
    axe(page)
    page.get_by_role("link", name="Riverside Walking Group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Walking Group")
    expect(page.get_by_text("Nobody has been suggested this yet.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name=re.compile("Suggest to someone I support")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("someone you support")
    axe(page)
    page.get_by_role("button", name="Continue").click()  # nobody chosen: an error
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    page.get_by_label("Maggie").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("to Maggie")
    axe(page)
    page.get_by_label("Link it to the goal “Meet people who like walking”").check()
    page.get_by_role("button", name="Suggest it").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Suggestions for Maggie")
    expect(page.get_by_text("linked to the goal")).to_be_visible()
    axe(page)

    page.goto(goal.get_absolute_url())
    expect(page.get_by_text("Riverside Walking Group")).to_be_visible()
    axe(page)

    page.goto(f"/people/{maggie.public_id}/journey/")
    expect(page.get_by_text("“Riverside Walking Group”: suggested")).to_be_visible()
    axe(page)

    page.goto(f"/people/{maggie.public_id}/suggestions/")
    page.get_by_role("link", name="Update Riverside Walking Group").click()
    axe(page)
    page.get_by_label("Tried it").check()
    page.get_by_role("button", name="Save what happened").click()
    expect(page.get_by_text("now “Tried it”")).to_be_visible()

    page.goto(f"/people/{maggie.public_id}/goals/{goal.public_id}/edit/")
    filter_box = page.get_by_label("Filter the list")
    filter_box.fill("riverside")
    expect(page.get_by_label("Other group 3")).to_be_hidden()
    expect(page.get_by_label("Riverside Walking Group")).to_be_checked()
    axe(page)


def test_curator_registers_a_feed_and_sees_why_a_sync_failed(page, axe, sign_in, toolkit_ready):
    curator = make_curator(username="cora")
    sign_in(page, curator)
    page.goto("/toolkit/curation/")
    page.get_by_role("link", name="Feed subscriptions").click()
    axe(page)
    page.get_by_label("Name of the feed").fill("Northfield directory")
    page.get_by_label("Feed address").fill("http://directory.example.org/services")
    page.get_by_role("button", name="Register the feed").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("must start with https://")
    axe(page)
    # A local address nothing listens on: registered (development allows it), then fails.
    page.get_by_label("Feed address").fill("http://127.0.0.1:9/services")
    page.get_by_role("button", name="Register the feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield directory")
    page.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text("The last sync failed, so nothing was changed")).to_be_visible()
    axe(page)
    page.goto("/toolkit/curation/")
    page.get_by_role("link", name="Listings that need checking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Listings that need checking")
    axe(page)
