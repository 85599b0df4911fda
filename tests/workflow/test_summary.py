"""“My map and my goals”: the summary written for the person (issue 16)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory
from tests.toolkit.factories import ServiceFactory
from toolkit.models import Contact

pytestmark = pytest.mark.django_db


def summary_url(person):
    return reverse("workflow:person_summary", args=[person.public_id])


def print_url(person):
    return reverse("workflow:person_summary_print", args=[person.public_id])


@pytest.fixture
def full_person(person, owner):
    """Pat with a map, two goals with steps, an opportunity and a next session."""
    owner.first_name = "Amira"
    owner.save()
    choir = ServiceFactory(name="Northfield Community Choir", phone="01234 567890")
    Contact.objects.create(service=choir, name="Jo", email="jo@choir.example")
    NetworkMemberFactory(service_user=person, label="Sister Kim", sector="family", ring=1)
    NetworkMemberFactory(service_user=person, label="Choir friends", kind="group", ring=3)
    goal = GoalFactory(
        service_user=person, title="Sing with other people", why_it_matters="I used to love it"
    )
    goal.opportunities.add(choir)
    StepFactory(goal=goal, what="Ring the choir", who="person")
    StepFactory(goal=goal, what="Find the bus times", who="worker")
    StepFactory(goal=goal, what="Come along the first time", who="other", who_name="Kim")
    GoalFactory(service_user=person, title="Walk to the park")
    make_review(person, {goal: 1}, days_ago=2)
    SessionFactory(
        service_user=person,
        what_we_did="PRIVATE SESSION NOTE about a hard week",
        next_session_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    from caseload.services import service_user_refresh_contact_dates

    service_user_refresh_contact_dates(service_user=person)
    person.refresh_from_db()
    return person


def test_summary_shows_the_map_goals_steps_opportunities_and_next_session(
    client_for, owner, full_person
):
    html = client_for(owner).get(summary_url(full_person)).content.decode()
    assert "My map and my goals" in html
    assert "Sister Kim" in html and "Choir friends" in html
    assert "Closest to me" in html and "Further out" in html
    assert "Sing with other people" in html and "I used to love it" in html
    assert 'Ring the choir <span class="summary-who">– Me' in html
    assert 'Find the bus times <span class="summary-who">– Amira' in html
    assert 'Come along the first time <span class="summary-who">– Kim' in html
    assert "Northfield Community Choir" in html
    assert "01234 567890" in html and "Jo, jo@choir.example" in html
    next_on = timezone.localdate() + datetime.timedelta(days=5)
    assert f"{next_on:%A} {next_on.day} {next_on:%B %Y}" in html


def test_summary_has_no_notes_no_figures_and_nobody_else(client_for, owner, full_person, team_a):
    other = ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name="Robin")
    NetworkMemberFactory(service_user=other, label="Robin's neighbour")
    GoalFactory(service_user=other, title="Robin's own goal")
    html = client_for(owner).get(summary_url(full_person)).content.decode()
    assert "PRIVATE SESSION NOTE" not in html
    assert "T-score" not in html and "density" not in html.lower()
    assert "Robin" not in html
    assert full_person.full_name not in html


def test_closed_and_empty_parts_say_so_in_plain_words(client_for, owner, person):
    html = client_for(owner).get(summary_url(person)).content.decode()
    assert "We have not drawn my map yet." in html
    assert "We have not written my goals yet." in html
    assert "Not arranged yet." in html


def test_opening_and_printing_the_summary_are_recorded(client_for, owner, person):
    client = client_for(owner)
    client.get(summary_url(person))
    response = client.post(print_url(person), {"size": "large"})
    assert response.status_code == 302
    assert response["Location"] == summary_url(person) + "?print=1&size=large"
    beacon = client.post(print_url(person), headers={"X-CP-Beacon": "print"})
    assert beacon.status_code == 204
    events = AuditEvent.objects.filter(service_user=person, object_type="summary")
    assert sorted(events.values_list("action", "detail")) == [
        ("export", "printed"),
        ("export", "printed"),
        ("view", "opened"),
    ]


def test_summary_print_takes_post_only(client_for, owner, person):
    assert client_for(owner).get(print_url(person)).status_code == 405


def test_large_print_option(client_for, owner, person):
    html = client_for(owner).get(summary_url(person) + "?size=large").content.decode()
    assert 'class="person-summary summary-large"' in html
    assert "Standard print size" in html


def test_summary_access_for_each_persona(assert_person_access, person):
    assert_person_access(summary_url(person))
    assert_person_access(print_url(person), method="post", ok=(302,))


def test_summary_for_someone_you_cannot_see_is_404(client_for, other_worker, person):
    assert client_for(other_worker).get(summary_url(person)).status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_summary_queries_do_not_grow_with_the_data(client_for, owner, full_person):
    client = client_for(owner)
    small = _count_queries(client, summary_url(full_person))
    for i in range(15):
        NetworkMemberFactory(service_user=full_person, label=f"Friend {i}")
    for i in range(4):
        goal = GoalFactory(service_user=full_person, title=f"Goal {i}")
        goal.opportunities.add(ServiceFactory())
        StepFactory(goal=goal)
        StepFactory(goal=goal)
    big = _count_queries(client, summary_url(full_person))
    assert small == big
    assert big <= 19
