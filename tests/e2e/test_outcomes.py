"""A worker records a baseline and a follow-up measure; the chart, the reliable
change and the review evidence appear; the supervisor sees the team's figures."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseload.stages import Stage
from tests.outcomes.factories import load

pytestmark = pytest.mark.django_db(transaction=True)

# Fictional Five: 0–3 per question (Never, Sometimes, Often, Always); questions 3
# and 5 are reverse-scored. Their wording may not be shown, so they are numbered.
BASELINE = {1: "Sometimes", 2: "Sometimes", 3: "Often", 4: "Sometimes", 5: "Often"}  # 5
FOLLOW_UP = {1: "Always", 2: "Always", 3: "Never", 4: "Sometimes", 5: "Sometimes"}  # 12


def answer(page, answers):
    for number, label in answers.items():
        page.get_by_role("group", name=f"Question {number}").get_by_label(label, exact=True).check()


def test_worker_records_a_baseline_and_a_follow_up_and_sees_the_change(
    page, axe, sign_in, owner, supervisor, person, new_context, browser_problems
):
    from tests.e2e.conftest import open_page

    load()
    type(person).objects.filter(pk=person.pk).update(stage=Stage.REVIEW)
    sign_in(page, owner)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Outcome measures").click()
    expect(page.get_by_role("heading", name="Pat’s outcome measures")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Record a measure").first.click()
    axe(page)
    page.get_by_role("link", name="Fictional Five Wellbeing Scale").click()
    expect(
        page.get_by_role("heading", name="Record Fictional Five Wellbeing Scale")
    ).to_be_visible()
    axe(page)

    # A date in the future is refused; what was chosen is kept.
    future = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Date completed").fill(future.isoformat())
    page.get_by_label("Baseline").check()
    page.get_by_label("By the person on their own").check()
    answer(page, BASELINE)
    page.get_by_role("button", name="Save result").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("cannot be in the future")
    expect(
        page.get_by_role("group", name="Question 3").get_by_label("Often", exact=True)
    ).to_be_checked()
    axe(page)
    page.get_by_role("link", name="The date completed cannot be in the future.").click()
    expect(page.get_by_label("Date completed")).to_be_focused()

    baseline_day = timezone.localdate() - datetime.timedelta(days=190)
    page.get_by_label("Date completed").fill(baseline_day.isoformat())
    page.get_by_role("button", name="Save result").click()
    expect(page.get_by_text("Result saved.")).to_be_visible()
    expect(page.get_by_test_id("score-total")).to_contain_text("5")
    axe(page)

    # The follow-up, from the outcomes page.
    page.get_by_role("link", name="All of Pat’s outcome measures").click()
    expect(page.get_by_text("Measures due")).to_be_visible()
    page.get_by_role("link", name="Record Fictional Five Wellbeing Scale again").click()
    page.get_by_label("Follow-up").check()
    page.get_by_label("With the worker").check()
    answer(page, FOLLOW_UP)
    page.get_by_role("button", name="Save result").click()
    expect(page.get_by_test_id("score-total")).to_contain_text("12")

    page.get_by_role("link", name="All of Pat’s outcome measures").click()
    expect(page.get_by_role("img", name="Fictional Five Wellbeing Scale over time")).to_be_visible()
    expect(page.get_by_test_id("rci-band")).to_have_text("Reliable improvement")
    expect(page.get_by_test_id("change-fictional-five-total")).to_contain_text("+7")
    expect(page.get_by_role("table").first).to_contain_text("12")
    expect(page.get_by_text("Measures due")).to_have_count(0)
    axe(page)

    page.get_by_role("link", name="About this measure").click()
    expect(page.get_by_test_id("licence-holder")).to_have_text("Northfield Trust, licence T-123")
    axe(page)

    # The review stage's follow-up evidence is met.
    page.goto(f"/people/{person.public_id}/journey/")
    item = page.locator(
        ".evidence-list li", has_text="Follow-up measures recorded since the last review"
    )
    expect(item.first).to_contain_text("Done")
    axe(page)

    # The supervisor's dashboard has the figures (fewer than 5 people here).
    boss = open_page(new_context(), browser_problems)
    sign_in(boss, supervisor)
    boss.goto("/dashboard/")
    row = boss.get_by_test_id("measure-fictional-five-total")
    expect(row).to_contain_text("fewer than 5")
    axe(boss)
    row.get_by_role("link").first.click()
    expect(boss.get_by_role("link", name="Pat")).to_be_visible()
    axe(boss)


def test_outcomes_pages_fit_a_320px_screen(page, axe, sign_in, owner, person):
    from tests.outcomes.factories import make_result

    answers = {"life_satisfaction": 6, "worthwhile": 7, "happiness": 4, "anxiety": 8}
    make_result(person, "ons4", answers, timepoint="baseline", days_ago=60)
    result = make_result(person, "ons4", {**answers, "anxiety": 3}, days_ago=1)
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, owner)
    base = f"/people/{person.public_id}/outcomes/"
    for path in [
        "",
        "new/",
        "new/?instrument=ons4",
        f"{result.public_id}/",
        f"{result.public_id}/edit/",
    ]:
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        axe(page)
