"""“My week” on the board and as a printable list (issue 16)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import ServiceUser
from tests.caseload.factories import ServiceUserFactory

pytestmark = pytest.mark.django_db


def planned(person, days):
    ServiceUser.objects.filter(pk=person.pk).update(
        next_contact_on=timezone.localdate() + datetime.timedelta(days=days)
    )


@pytest.fixture
def week_people(team_a, owner, colleague):
    people = {}
    for name, days, worker in [
        ("Asha", 0, owner),
        ("Bryn", 2, owner),
        ("Cal", -3, owner),
        ("Dee", 9, owner),
        ("Eve", 1, colleague),
    ]:
        people[name] = ServiceUserFactory(team=team_a, allocated_worker=worker, preferred_name=name)
        planned(people[name], days)
    closed = ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Fin", status="closed", stage="closed"
    )
    planned(closed, 1)
    return people


def test_board_shows_my_week_by_day_with_overdue_first(client_for, owner, week_people):
    html = client_for(owner).get(reverse("workflow:board")).content.decode()
    week = html[
        html.index('id="my-week-heading"') : html.index("</section>", html.index("my-week"))
    ]
    today = timezone.localdate()
    in_two = today + datetime.timedelta(days=2)
    assert "Overdue" in week and "Cal" in week
    assert week.index("Cal") < week.index("Asha") < week.index("Bryn")
    assert f"Today, {today:%A} {today.day} {today:%B}" in week
    assert f"{in_two:%A} {in_two.day} {in_two:%B}" in week
    assert week_people["Bryn"].get_absolute_url() in week
    assert "Dee" not in week  # beyond seven days
    assert "Eve" not in week  # someone else's
    assert "Fin" not in week  # closed


def test_printable_week_lists_every_day(client_for, owner, week_people):
    response = client_for(owner).get(reverse("workflow:my_week"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Nothing planned.") == 5  # seven days, two with someone
    assert "Printable list" not in html


def test_my_week_says_when_nothing_is_planned(client_for, owner, person):
    html = client_for(owner).get(reverse("workflow:board")).content.decode()
    assert "Nothing planned for the next seven days." in html


def test_my_week_costs_one_query_whatever_its_size(client_for, owner, week_people, team_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("workflow:my_week"))
        return len(queries)

    before = count()
    for i in range(10):
        planned(ServiceUserFactory(team=team_a, allocated_worker=owner), i % 7)
    assert count() == before
