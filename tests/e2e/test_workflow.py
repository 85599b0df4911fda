import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.caseload.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def move_to(page, axe, stage_label, reason):
    page.get_by_role("link", name="Move to another stage").click()
    axe(page)
    page.get_by_label(stage_label).check()
    page.get_by_label("Reason or note").fill(reason)
    page.get_by_role("button", name="Move stage").click()


def test_worker_moves_a_person_round_the_cycle_and_supervisor_sees_it(
    page, axe, sign_in, owner, supervisor, person
):
    SessionFactory(
        service_user=person,
        date=timezone.localdate() - datetime.timedelta(days=2),
        duration_minutes=50,
    )
    sign_in(page, owner)
    page.goto("/board/")
    axe(page)
    page.get_by_role("link", name="Pat", exact=True).click()
    expect(page.get_by_role("heading", name="Pat’s journey")).to_be_visible()
    axe(page)

    # Leaving "getting started" without consent: the reason is required.
    page.get_by_role("link", name="Move to another stage").click()
    page.get_by_label("Exploring connections").check()
    page.get_by_role("button", name="Move stage").click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.get_by_role("alert")).to_contain_text("Some evidence is missing")
    axe(page)
    page.get_by_label("Exploring connections").check()
    page.get_by_label("Reason or note").fill("Consent given verbally; form to follow.")
    page.get_by_role("button", name="Move stage").click()
    expect(page.get_by_role("status")).to_contain_text("now at “Exploring connections”")

    move_to(page, axe, "Planning", "Map started; baseline to be taken next visit.")
    expect(page.get_by_role("status")).to_contain_text("now at “Planning”")
    axe(page)
    timeline = page.locator("ol.timeline").inner_text()
    assert timeline.index("Moved to Planning") < timeline.index("Moved to Exploring connections")
    assert timeline.index("Moved to Exploring connections") < timeline.index("session (50 min)")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, supervisor)
    page.goto("/dashboard/")
    axe(page)
    page.get_by_role("link", name="1 people at Planning").click()
    expect(page.get_by_role("heading", name=re.compile("at “Planning”"))).to_be_visible()
    expect(page.get_by_role("link", name="Pat")).to_be_visible()
    axe(page)


def test_journey_board_and_dashboard_fit_a_narrow_screen(
    page, axe, sign_in, owner, supervisor, person
):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, owner)
    for url in [
        "/board/",
        f"/people/{person.public_id}/journey/",
        f"/people/{person.public_id}/stage/",
    ]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
        axe(page)
    page.context.clear_cookies()
    sign_in(page, supervisor)
    page.goto("/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe(page)
