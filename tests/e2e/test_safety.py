"""Working safely: an alert's banner on the map page, an overdue lone-working
check-in reaching the supervisor (with the clock moved), and a group session for
three people, each seeing only their own note in their journey."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safety import services
from safety.models import LoneWorkingCheckIn
from tests.caseload.factories import ServiceUserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_alert_shows_as_a_banner_on_the_map_page(page, axe, sign_in, owner, person):
    sign_in(page, owner)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Risk and safety alerts").click()
    expect(page.get_by_text("There are no active alerts for Pat")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Record an alert").click()
    axe(page)
    # No "what to do" and a review date in the past: field errors, answers kept.
    page.get_by_label("Environment at the address").check()
    page.get_by_label("The situation").fill("A large dog at the address.")
    page.get_by_label("Review date").fill("2020-01-01")
    page.get_by_role("button", name="Save alert").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Say what a worker should do.")
    expect(page.get_by_role("alert")).to_contain_text("The review date must be today or later.")
    expect(page.get_by_label("The situation")).to_have_value("A large dog at the address.")
    axe(page)
    page.get_by_label("What to do").fill("Ring ahead so the dog can be shut away.")
    later = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Review date").fill(later.isoformat())
    page.get_by_role("button", name="Save alert").click()
    expect(page.get_by_text("Alert recorded.")).to_be_visible()
    axe(page)

    page.goto(f"/people/{person.public_id}/network/")
    banner = page.get_by_role("region", name=re.compile("Risk and safety: 1 active alert"))
    expect(banner).to_contain_text("A large dog at the address.")
    expect(banner).to_contain_text("Ring ahead so the dog can be shut away.")
    axe(page)

    # Never in the summary written for the person.
    page.goto(f"/people/{person.public_id}/my-summary/")
    expect(page.get_by_text("A large dog at the address.")).to_have_count(0)
    axe(page)


def test_an_overdue_check_in_reaches_the_supervisor(
    page, axe, sign_in, owner, supervisor, team_a, new_context, browser_problems
):
    from tests.e2e.conftest import open_page

    services.team_set_check_ins(team=team_a, enabled=True, by=supervisor)
    owner.phone = "07700 900 982"
    owner.save()
    sign_in(page, owner)
    page.goto("/safety/")
    axe(page)
    page.get_by_role("link", name="Start a check-in").click()
    axe(page)
    back = timezone.localtime() + datetime.timedelta(hours=1)
    page.get_by_label("Where you are going").fill("14 Oak Road")
    page.get_by_label("Who you are with").fill("On my own")
    page.get_by_label("Expected back").fill(back.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Checked in.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("I'm back"))).to_be_visible()
    axe(page)

    boss = open_page(new_context(), browser_problems)
    sign_in(boss, supervisor)
    boss.goto("/")
    expect(boss.get_by_text("not back")).to_have_count(0)

    # Move the clock: the expected return was 31 minutes ago.
    LoneWorkingCheckIn.objects.update(
        started_at=timezone.now() - datetime.timedelta(hours=2),
        expected_back_at=timezone.now() - datetime.timedelta(minutes=31),
    )
    boss.goto("/")
    banner = boss.get_by_role("region", name=re.compile("Lone working: 1 worker not back"))
    expect(banner).to_contain_text("14 Oak Road")
    expect(banner).to_contain_text("07700 900 982")
    axe(boss)
    boss.goto("/dashboard/")
    section = boss.get_by_role("region", name="Lone-working check-ins overdue")
    expect(section).to_contain_text("07700 900 982")
    axe(boss)

    page.reload()
    page.get_by_role("button", name=re.compile("I'm back")).click()
    expect(page.get_by_text("Welcome back.")).to_be_visible()
    axe(page)
    boss.goto("/")
    expect(boss.get_by_text("not back")).to_have_count(0)


def test_a_group_session_for_three_people_shows_each_their_own_note(
    page, axe, sign_in, owner, team_a
):
    people = [
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=name)
        for name in ("Ann", "Bea", "Cal")
    ]
    sign_in(page, owner)
    page.goto(f"/people/{people[0].public_id}/sessions/")
    page.get_by_role("link", name="Log a group session").click()
    axe(page)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Place").fill("Riverside park")
    page.get_by_label("Notes about the group").fill("Walked the river loop.")
    notes = {"Ann": "Ann led the way.", "Bea": "Bea met the choir leader.", "Cal": "Cal came too."}
    for number, name in enumerate(notes, start=1):
        row = page.get_by_role("group", name=f"Person {number}", exact=True)
        if number > 1:
            row.get_by_label("Person", exact=True).select_option(label=name)
        else:
            expect(row.get_by_label("Person", exact=True)).to_have_value(str(people[0].public_id))
        row.get_by_label("Their own note").fill(notes[name])
    page.get_by_role("button", name="Save group session").click()
    expect(page.get_by_text("Group session saved for each person.")).to_be_visible()
    axe(page)

    for person in people:
        page.goto(f"/people/{person.public_id}/journey/")
        timeline = page.get_by_text("Group session (90 min)")
        expect(timeline.first).to_be_visible()
        expect(page.get_by_text(notes[person.preferred_name])).to_be_visible()
        for other, note in notes.items():
            if other != person.preferred_name:
                expect(page.get_by_text(note)).to_have_count(0)
        axe(page)


def test_safety_pages_fit_a_320px_screen(page, sign_in, owner, person, team_a, supervisor):
    from tests.safety.factories import RiskAlertFactory

    services.team_set_check_ins(team=team_a, enabled=True, by=supervisor)
    alert = RiskAlertFactory(service_user=person)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, owner)
    base = f"/people/{person.public_id}/alerts/"
    for path in [
        base,
        base + "new/",
        f"{base}{alert.public_id}/end/",
        "/safety/",
        "/safety/check-ins/new/",
        "/group-sessions/new/",
        f"/people/{person.public_id}/",
    ]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
