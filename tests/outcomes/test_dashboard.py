"""Team outcomes on the dashboard: pairs, median change, reliable change,
"fewer than 5", drill-down within the access rules, a counts-only CSV."""

import csv
import io

import pytest
from django.urls import reverse

from tests.accounts.factories import make_supervisor
from tests.caseload.factories import ServiceUserFactory
from tests.outcomes.factories import make_result, ucla

LOW = {"q1": 1, "q2": 1, "q3": 2, "q4": 1, "q5": 2}  # 5
HIGH = {"q1": 3, "q2": 3, "q3": 0, "q4": 1, "q5": 1}  # 12: +7 is a reliable improvement
SAME = {"q1": 1, "q2": 2, "q3": 2, "q4": 1, "q5": 2}  # 6: +1 is no reliable change


def pair(person, before, after, code="fictional-five"):
    make_result(person, code, before, timepoint="baseline", days_ago=200)
    make_result(person, code, after, days_ago=5)


@pytest.fixture
def team_results(team_a, owner, fictional_instrument):
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(7)]
    for person in people[:3]:
        pair(person, LOW, HIGH)  # improved
    pair(people[3], HIGH, LOW)  # deteriorated
    pair(people[4], LOW, SAME)  # no reliable change
    make_result(people[5], "fictional-five", LOW, timepoint="baseline", days_ago=10)  # no pair
    for person in people[:3]:
        pair(person, ucla(3, 3, 3), ucla(2, 2, 2), code="ucla3")  # only 3 pairs
    return people


def figures(response, code, key):
    return next(
        row
        for row in response.context["measures"]
        if row.instrument.code == code and row.spec.key == key
    )


def test_pairs_median_change_and_reliable_change_per_instrument(
    client_for, supervisor, team_results
):
    response = client_for(supervisor).get("/dashboard/")
    five = figures(response, "fictional-five", "total")
    assert five.pairs == 5
    assert five.median_change == 7
    assert five.improved_share == pytest.approx(3 / 5)
    assert five.deteriorated_share == pytest.approx(1 / 5)
    html = response.content.decode()
    assert "Outcome measures" in html
    assert "60%" in html and "20%" in html and "+7" in html


def test_figures_from_fewer_than_five_people_are_not_shown(client_for, supervisor, team_results):
    response = client_for(supervisor).get("/dashboard/")
    loneliness = figures(response, "ucla3", "total")
    assert loneliness.pairs == 3 and not loneliness.enough
    html = response.content.decode()
    row = html.split('data-testid="measure-ucla3-total"')[1].split("</tr>")[0]
    assert row.count("fewer than 5") == 4
    assert "−3" not in row


def test_a_figure_drills_down_to_the_people_behind_it(client_for, supervisor, team_results, team_a):
    url = reverse("measures:team_people")
    query = {"team": team_a.public_id, "instrument": "fictional-five", "score": "total"}
    html = client_for(supervisor).get(url, {**query, "figure": "improved"}).content.decode()
    for person in team_results[:3]:
        assert person.preferred_name in html
        assert f"/people/{person.public_id}/outcomes/" in html
    assert team_results[3].preferred_name not in html
    html = client_for(supervisor).get(url, {**query, "figure": "deteriorated"}).content.decode()
    assert team_results[3].preferred_name in html
    response = client_for(supervisor).get(url, {**query, "figure": "bogus"})
    assert response.status_code == 404


def test_the_drill_down_stays_within_the_access_rules(
    client_for, supervisor, owner, team_b, other_worker, fictional_instrument, team_a
):
    theirs = ServiceUserFactory(team=team_b, allocated_worker=other_worker, preferred_name="Zed")
    pair(theirs, LOW, HIGH)
    url = reverse("measures:team_people")
    query = {"instrument": "fictional-five", "score": "total", "figure": "pairs"}
    # Team B is not the supervisor's: 404, and the figure is not in their team's.
    assert client_for(supervisor).get(url, {**query, "team": team_b.public_id}).status_code == 404
    assert client_for(supervisor).get(url, {**query, "team": team_a.public_id}).status_code == 404
    boss_b = make_supervisor(team_b)
    html = client_for(boss_b).get(url, {**query, "team": team_b.public_id}).content.decode()
    assert "Zed" in html
    for user in (owner, other_worker):
        assert client_for(user).get(url, {**query, "team": team_b.public_id}).status_code == 403


def test_the_csv_holds_counts_only(client_for, supervisor, team_results, team_a):
    response = client_for(supervisor).get(
        reverse("measures:team_export"), {"team": team_a.public_id}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    for person in team_results:
        assert person.preferred_name not in cells and person.full_name not in cells
    five = next(row for row in rows if row[:2] == ["Fictional Five Wellbeing Scale", "Wellbeing"])
    assert five[2:] == ["higher", "5", "7", "60%", "20%"]
    lonely = next(row for row in rows if row[:2] == ["UCLA 3-item loneliness scale", "Loneliness"])
    assert lonely[2:] == ["lower"] + ["fewer than 5"] * 4


def test_the_csv_is_for_supervisors_of_the_team(client_for, owner, supervisor, team_b):
    url = reverse("measures:team_export")
    assert client_for(owner).get(url).status_code == 403
    assert client_for(supervisor).get(url, {"team": team_b.public_id}).status_code == 404


def test_without_results_the_section_says_so(client_for, supervisor):
    html = client_for(supervisor).get("/dashboard/").content.decode()
    assert "No outcome measures recorded for this team yet." in html


def test_the_outcomes_section_runs_a_fixed_number_of_queries(
    client_for, supervisor, team_a, owner, fictional_instrument, django_assert_max_num_queries
):
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(2)]
    for person in people:
        pair(person, LOW, HIGH)
    client = client_for(supervisor)
    client.get("/dashboard/")
    # The dashboard's own budget (tests/workflow), outcomes and fidelity included.
    # +1: the supervisors' overdue check-in banner (safety)
    with django_assert_max_num_queries(38) as small:
        client.get("/dashboard/")
    for _ in range(12):
        person = ServiceUserFactory(team=team_a, allocated_worker=owner)
        pair(person, HIGH, SAME)
        pair(person, ucla(1, 1, 1), ucla(3, 3, 3), code="ucla3")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/dashboard/")
