"""A worker sets up a goal with GAS levels and steps, then reviews it."""

import re

import pytest
from playwright.sync_api import expect

from tests.caseload.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_adds_a_goal_with_steps_reviews_it_and_sees_the_t_score(
    page, axe, sign_in, owner, person
):
    session = SessionFactory(service_user=person)
    sign_in(page, owner)
    page.goto(f"/people/{person.public_id}/goals/")
    expect(page.get_by_role("heading", name="Pat’s goals")).to_be_visible()
    expect(page.get_by_text("No active goals")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Add a goal").first.click()
    page.get_by_label(re.compile("The goal, in the person")).fill(
        "I want to go to the Tuesday walking group"
    )
    page.get_by_label("Area of life").select_option("physical_activity")
    page.get_by_label(re.compile("−2: much less")).fill("Not leaving the house")
    page.get_by_label(re.compile("−1: somewhat less")).fill("Walking to the corner shop")
    page.get_by_label(re.compile("\\+1: somewhat more")).fill("Going to the group most weeks")
    page.get_by_label(re.compile("\\+2: much more")).fill(
        "Going every week and meeting someone there"
    )
    page.get_by_role("button", name="Add goal").click()
    # The expected outcome is required: the error is shown and nothing typed is lost.
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Describe the expected outcome")
    expect(page.get_by_label(re.compile("\\+2: much more"))).to_have_value(
        "Going every week and meeting someone there"
    )
    axe(page)
    page.get_by_label(re.compile("0: the expected outcome")).fill(
        "Going to the group twice a month"
    )
    page.get_by_label("Importance").select_option("3")
    page.get_by_label("Difficulty").select_option("2")
    page.get_by_role("button", name="Add goal").click()
    expect(
        page.get_by_role("heading", name="I want to go to the Tuesday walking group")
    ).to_be_visible()
    axe(page)

    for what, who in [
        ("Find out where the group meets", "The worker"),
        ("Buy walking shoes", "The person"),
    ]:
        page.get_by_role("link", name="Add a step").click()
        page.get_by_label("What will be done").fill(what)
        page.get_by_label(who).check()
        axe(page)
        page.get_by_role("button", name="Add step").click()
        expect(page.locator(".step-what", has_text=what)).to_be_visible()

    page.get_by_role("button", name=re.compile("^Mark done.*Buy walking shoes")).click()
    expect(
        page.get_by_role("button", name=re.compile("^Mark not done.*Buy walking shoes"))
    ).to_be_visible()
    expect(page.locator(".step-done")).to_contain_text("Buy walking shoes")
    axe(page)

    page.goto(f"/people/{person.public_id}/goals/")
    axe(page)
    page.get_by_role("link", name="Record a review").first.click()
    axe(page)
    page.get_by_label(re.compile("\\+1 Somewhat more than expected")).check()
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_test_id("t-score")).to_have_text("60.00")
    axe(page)

    page.get_by_role("link", name="See progress over time").click()
    expect(page.get_by_role("img", name="T-score at each review")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("60.00")
    axe(page)

    page.goto(f"/people/{person.public_id}/goals/sessions/{session.public_id}/")
    page.get_by_label("I want to go to the Tuesday walking group").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Goals for this session saved.")).to_be_visible()
    axe(page)


def test_goals_pages_fit_a_320px_screen(page, axe, sign_in, owner, person):
    from tests.goals.factories import GoalFactory, StepFactory, make_review

    goal = GoalFactory(service_user=person)
    step = StepFactory(goal=goal)
    make_review(person, {goal: 0}, days_ago=30)
    review = make_review(person, {goal: 1}, days_ago=2)
    session = SessionFactory(service_user=person)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, owner)
    paths = [
        "",
        "new/",
        "reviews/",
        "reviews/new/",
        f"reviews/{review.public_id}/",
        f"sessions/{session.public_id}/",
        f"{goal.public_id}/",
        f"{goal.public_id}/edit/",
        f"{goal.public_id}/steps/new/",
        f"{goal.public_id}/steps/{step.public_id}/edit/",
        f"{goal.public_id}/steps/{step.public_id}/delete/",
    ]
    for path in paths:
        page.goto(f"/people/{person.public_id}/goals/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        axe(page)


def test_a_goal_changed_by_someone_else_meanwhile_shows_a_conflict(
    page, axe, sign_in, owner, person
):
    from goals.models import Goal
    from tests.goals.factories import GoalFactory

    goal = GoalFactory(service_user=person, title="Go swimming")
    sign_in(page, owner)
    page.goto(f"/people/{person.public_id}/goals/{goal.public_id}/edit/")
    page.get_by_label(re.compile("The goal, in the person")).fill("Go swimming on Fridays")
    Goal.objects.filter(pk=goal.pk).update(title="Go swimming with Sam", version=2)
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_role("heading", name=re.compile("Someone else changed this goal"))
    ).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Go swimming with Sam")
    expect(page.get_by_label(re.compile("The goal, in the person"))).to_have_value(
        "Go swimming on Fridays"
    )
    axe(page)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Go swimming on Fridays")).to_be_visible()
