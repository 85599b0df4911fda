"""Browser journeys through the toolkit: curate, publish, find; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_curator, make_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def toolkit_ready(db):
    from toolkit.models import PracticeArea
    from toolkit.practice_areas import ensure_practice_areas

    ensure_practice_areas(PracticeArea)  # an earlier browser test's flush removes them


def sign_out(page):
    page.context.clear_cookies()


def test_curator_drafts_previews_publishes_and_a_worker_finds_it(
    page, axe, sign_in, team_a, toolkit_ready
):
    curator = make_curator(username="cora")
    worker = make_worker(team_a, username="wendy")

    sign_in(page, curator)
    page.goto("/toolkit/curation/")
    expect(page.get_by_role("heading", name="Curate the toolkit")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Add a resource", exact=True).click()
    axe(page)
    page.get_by_role("button", name="Save draft").click()  # nothing filled in: errors
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    axe(page)

    page.get_by_label("Title").fill("Finding a book group")
    page.get_by_label("Summary").fill("How to help someone join a reading group.")
    page.get_by_label("Body").fill(
        "## Start small\n\nVisit the **marmalade** café next to the library first."
    )
    page.get_by_label("Connecting", exact=True).check()
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview (not saved yet)")
    expect(preview.locator("strong")).to_have_text("marmalade")
    expect(page.get_by_label("Title")).to_have_value("Finding a book group")
    axe(page)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finding a book group")
    expect(page.get_by_role("status").first).to_contain_text("Draft")
    axe(page)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Finding a book group” published")).to_be_visible()
    axe(page)

    sign_out(page)
    sign_in(page, worker)
    page.goto("/toolkit/")
    axe(page)
    page.get_by_label("Search titles, summaries, text and tags").fill("marmalade")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 resource found")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Finding a book group").click()
    expect(page.locator(".resource-body strong")).to_have_text("marmalade")
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    axe(page)


def test_worker_browses_the_directory_and_curator_imports_a_bad_file(
    page, axe, sign_in, team_a, toolkit_ready, tmp_path
):
    from io import StringIO

    from toolkit import demo

    demo.seed(stdout=StringIO())
    worker = make_worker(team_a, username="wendy")
    sign_in(page, worker)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/toolkit/directory/")
    axe(page)
    page.get_by_label("Day").select_option("Saturday")
    page.get_by_label("Free only").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Riverside Walking Group")).to_be_visible()
    expect(page.get_by_role("link", name="Walking Football")).to_have_count(0)
    axe(page)
    page.get_by_role("link", name="Riverside Walking Group").click()
    expect(page.get_by_role("heading", name="Where")).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/toolkit/curation/import/")
    expect(
        page.get_by_role("heading", name="You do not have permission to do that")
    ).to_be_visible()
    axe(page)

    sign_out(page)
    sign_in(page, make_curator(username="cora"))
    page.goto("/toolkit/curation/import/")
    axe(page)
    bad = tmp_path / "broken.json"
    bad.write_text('{"id": "abc", "status": "active"}')
    page.get_by_label("Open Referral UK JSON file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("has no name")
    axe(page)

    page.goto("/toolkit/curation/opportunities/new/")
    axe(page)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Choose the organisation")
    axe(page)
    page.get_by_role("textbox", name="Name*", exact=True).fill("Harbour Chess Club")
    page.get_by_label("New organisation").fill("Harbourside Neighbours")
    page.get_by_label("Tuesday").first.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Chess Club")
    expect(page.get_by_text("Tuesday")).to_be_visible()
    axe(page)


def test_a_resource_changed_by_another_curator_meanwhile_shows_the_conflict_page(
    page, axe, sign_in, toolkit_ready
):
    from tests.toolkit.factories import ResourceFactory
    from toolkit.models import Resource

    resource = ResourceFactory(title="Finding a book group", body="First words.")
    sign_in(page, make_curator(username="cora"))
    page.goto(f"/toolkit/curation/resources/{resource.public_id}/edit/")
    page.get_by_label("Body").fill("My new words.")
    Resource.objects.filter(pk=resource.pk).update(body="Their words.", version=2)
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_role(
            "heading", name="Someone else changed this resource while you were editing"
        )
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Their words.")
    expect(page.get_by_label("Body")).to_have_value("My new words.")
    axe(page)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finding a book group")
    resource.refresh_from_db()
    assert resource.body == "My new words."
