"""The person's outcome measures page: change since baseline, reliable change,
a chart of each instrument (no inline styles) with a table, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from outcomes.definitions import shipped
from outcomes.services import instrument_load
from tests.outcomes.factories import load, make_result, ucla

ANSWERS = {"q1": 1, "q2": 1, "q3": 2, "q4": 1, "q5": 2}  # scored 1+1+1+1+1 = 5


def url(person):
    return reverse("outcomes:list", args=[person.public_id])


def test_an_empty_page_invites_a_baseline(client_for, owner, person):
    html = client_for(owner).get(url(person)).content.decode()
    assert "No measures recorded yet." in html and "Record a measure" in html


def test_the_page_shows_change_rci_band_and_a_chart(client_for, owner, person):
    load()
    make_result(person, "fictional-five", ANSWERS, timepoint="baseline", days_ago=180)
    make_result(person, "fictional-five", {**ANSWERS, "q1": 3, "q2": 3, "q3": 0}, days_ago=2)
    response = client_for(owner).get(url(person))
    html = response.content.decode()
    # 5 → 11 with SD 3 and reliability .8: RCI = 6 / (3·√2·√0.2) = 3.16.
    assert 'change <span class="fw-semibold">+6</span>' in html
    assert "Reliable change index +3.16" in html
    assert "Reliable improvement" in html
    assert '<svg viewBox="0 0 640 260" role="img"' in html
    assert "Fictional Five Wellbeing Scale over time" in html
    assert " style=" not in html and "<style" not in html
    # The table alternative holds the same figures.
    assert re.search(
        r"<td data-label=\"Wellbeing\">5 <span class=\"small\">\(Low\)</span></td>", html
    )
    assert re.search(
        r"<td data-label=\"Wellbeing\">11 <span class=\"small\">\(High\)</span></td>", html
    )


def test_lower_is_better_reads_a_fall_in_loneliness_as_improvement(client_for, owner, person):
    # An agency loads a version of UCLA-3 with the SD of its own baseline sample.
    with_sd = dict(shipped("ucla3").data)
    with_sd["scoring"] = {
        **with_sd["scoring"],
        "total": {**with_sd["scoring"]["total"], "sd": 1.5, "reliability": 0.8},
    }
    instrument_load(data=with_sd, licence_holder="")
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=200)
    make_result(person, "ucla3", ucla(1, 2, 1), days_ago=1)
    html = client_for(owner).get(url(person)).content.decode()
    assert 'change <span class="fw-semibold">−5</span>' in html
    assert "Reliable improvement" in html


def test_without_an_sd_the_change_is_shown_without_an_rci(client_for, owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=200)
    make_result(person, "ucla3", ucla(2, 2, 2), days_ago=1)
    html = client_for(owner).get(url(person)).content.decode()
    assert 'change <span class="fw-semibold">−3</span>' in html
    assert "No reliable change index" in html
    assert "Reliable improvement" not in html


def test_ons4_is_charted_as_four_lines_and_never_a_total(client_for, owner, person):
    answers = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 5, "anxiety": 8}
    make_result(person, "ons4", answers, timepoint="baseline", days_ago=100)
    make_result(person, "ons4", {**answers, "anxiety": 2}, days_ago=3)
    response = client_for(owner).get(url(person))
    history = response.context["histories"][0]
    assert [line.spec.label for line in history.lines] == [
        "Life satisfaction",
        "Worthwhile",
        "Happiness",
        "Anxiety",
    ]
    assert len(history.chart["lines"]) == 4
    anxiety = history.lines[3]
    assert anxiety.change.change == -6 and anxiety.change.band is None
    html = response.content.decode()
    assert "Total" not in html
    assert "Anxiety</strong> (lower is better)" in html


def test_a_measure_due_is_shown_with_a_link_to_record_it(client_for, owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=200)
    html = client_for(owner).get(url(person)).content.decode()
    assert "Measures due" in html and "?instrument=ucla3" in html


@pytest.mark.parametrize("n", [2, 20])
def test_the_page_runs_a_fixed_number_of_queries(
    client_for, owner, person, n, django_assert_num_queries
):
    load()
    make_result(person, "fictional-five", ANSWERS, timepoint="baseline", days_ago=400)
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=400)
    for day in range(n):
        make_result(person, "fictional-five", ANSWERS, days_ago=300 - day)
        make_result(person, "ucla3", ucla(2, 2, 2), days_ago=300 - day)
        make_result(
            person,
            "ons4",
            dict.fromkeys(("life_satisfaction", "worthwhile", "happiness", "anxiety"), day % 11),
            days_ago=300 - day,
        )
    client = client_for(owner)
    client.get(url(person))
    # Sign-in session, user, roles and navigation (about 8), the person, the
    # audit event, results, versions, the measures offered.
    # +1: the risk alert banner (safety)
    with django_assert_num_queries(14):
        response = client.get(url(person))
    assert response.status_code == 200
    assert len(response.context["histories"]) == 3
