"""Browser journeys through the caseload, each page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from caseload.models import ServiceUser, Session

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_finds_a_person_logs_a_session_and_sees_it_listed(page, axe, sign_in, owner, person):
    sign_in(page, owner)
    page.get_by_role("link", name="Caseload", exact=True).first.click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    axe(page)
    page.get_by_label("Name or reference").fill("pat")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_role("link", name="Pat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pat")
    axe(page)

    page.get_by_role("link", name="Log a session").first.click()
    expect(page.locator("#id_stage")).to_have_value("getting_started")
    axe(page)
    page.locator("#id_kind").select_option("phone")
    page.locator("#id_duration_minutes").fill("0")
    page.get_by_label("What we did").fill("Rang to plan a visit to the allotment society.")
    page.get_by_role("button", name="Save session").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("at least 1 minute")
    expect(page.get_by_label("What we did")).to_have_value(
        "Rang to plan a visit to the allotment society."
    )
    axe(page)
    page.locator("#id_duration_minutes").fill("25")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text="Session saved")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="All sessions with Pat").click()
    expect(page.get_by_role("table")).to_contain_text("Phone")
    axe(page)
    assert Session.objects.filter(service_user=person, kind="phone").count() == 1


def test_worker_adds_a_person_after_fixing_a_bad_postcode(page, axe, sign_in, owner):
    sign_in(page, owner)
    page.goto("/people/")
    expect(page.get_by_text("There is no one on your caseload yet")).to_be_visible()
    page.get_by_role("link", name="Add a person").first.click()
    axe(page)
    page.get_by_label("Preferred name").fill("Robin")
    page.get_by_label("Postcode").fill("NOT A POSTCODE")
    page.get_by_role("button", name="Save and open the record").click()
    expect(page).to_have_title(re.compile("^Error: "))
    axe(page)
    page.get_by_role("link", name=re.compile("Enter a real UK postcode")).click()
    expect(page.get_by_label("Postcode")).to_be_focused()
    page.get_by_label("Postcode").fill("ls1 4ap")
    page.get_by_role("button", name="Save and open the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robin")
    axe(page)
    assert ServiceUser.objects.get().postcode == "LS1 4AP"


def test_supervisor_reallocates_a_person(page, axe, sign_in, supervisor, person, colleague):
    sign_in(page, supervisor)
    page.goto(person.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Reallocate to another worker").click()
    axe(page)
    page.get_by_role("button", name="Reallocate").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the worker")
    axe(page)
    page.get_by_label("New allocated worker").select_option(label=colleague.get_full_name())
    page.get_by_label("Note").fill("Olive is moving to the early intervention team.")
    page.get_by_role("button", name="Reallocate").click()
    expect(page.get_by_text(f"now allocated to {colleague.get_full_name()}")).to_be_visible()
    expect(page.get_by_text("Olive is moving to the early intervention team.")).to_be_visible()
    axe(page)
    person.refresh_from_db()
    assert person.allocated_worker == colleague


def test_two_windows_editing_one_person_show_a_conflict_and_lose_nothing(
    new_context, browser_problems, page, axe, sign_in, owner, supervisor, person
):
    from tests.e2e.conftest import open_page

    edit_url = f"/people/{person.public_id}/edit/"
    sign_in(page, owner)
    page.goto(edit_url)
    axe(page)

    other = open_page(new_context(), browser_problems)
    sign_in(other, supervisor)
    other.goto(edit_url)
    other.get_by_label("Full name").fill("Patricia Saved-First")
    other.get_by_role("button", name="Save").click()
    expect(other.get_by_text("The details were saved.")).to_be_visible()

    page.get_by_label("Pronouns").fill("she/they")
    page.get_by_label("Full name").fill("Pat Typed-Second")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save").click()
    assert posted.value.status == 409
    expect(
        page.get_by_role(
            "heading", name="Someone else changed these details while you were editing"
        )
    ).to_be_visible()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Pat Typed-Second")
    expect(table).to_contain_text("Patricia Saved-First")
    expect(table).to_contain_text("she/they")
    axe(page)
    person.refresh_from_db()
    assert person.full_name == "Patricia Saved-First"  # nothing overwritten

    # The form still holds what I typed; I keep the saved full name and my pronouns.
    expect(page.get_by_label("Full name")).to_have_value("Pat Typed-Second")
    expect(page.get_by_label("Pronouns")).to_have_value("she/they")
    page.get_by_label("Full name").fill("Patricia Saved-First")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The details were saved.")).to_be_visible()
    person.refresh_from_db()
    assert (person.full_name, person.pronouns) == ("Patricia Saved-First", "she/they")


def test_caseload_and_person_page_fit_a_320px_screen(page, axe, sign_in, owner, person):
    from tests.caseload.factories import SessionFactory

    SessionFactory(service_user=person)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, owner)
    for url in ["/people/", person.get_absolute_url(), f"/people/{person.public_id}/sessions/new/"]:
        page.goto(url)
        axe(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
