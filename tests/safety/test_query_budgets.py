"""Safety list pages cost the same number of queries at two data sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import group_sessions, services
from tests.caseload.factories import ServiceUserFactory
from tests.safety.factories import CheckInFactory, RiskAlertFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_alert_list_budget(person, owner, client_for):
    client = client_for(owner)
    url = reverse("safety:alerts", kwargs={"public_id": person.public_id})
    RiskAlertFactory(service_user=person)
    small = _queries(client, url)
    RiskAlertFactory.create_batch(12, service_user=person)
    assert _queries(client, url) == small <= 12


def test_safety_overview_budget(team_a, owner, supervisor, client_for):
    services.team_set_check_ins(team=team_a, enabled=True, by=supervisor)
    past = datetime.date(2020, 1, 1)

    def add(n):
        for _ in range(n):
            person = ServiceUserFactory(team=team_a, allocated_worker=owner)
            RiskAlertFactory(service_user=person, review_on=past)
            CheckInFactory(worker=owner, team=team_a)

    add(1)
    sizes = {}
    for user in (owner, supervisor):
        sizes[user.username] = _queries(client_for(user), reverse("safety:overview"))
    add(10)
    for user in (owner, supervisor):
        assert _queries(client_for(user), reverse("safety:overview")) == sizes[user.username]


def test_group_session_page_budget(team_a, owner, client_for):
    def group_of(n):
        people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(n)]
        group, _ = group_sessions.group_session_create(
            by=owner,
            values={"date": timezone.localdate(), "duration_minutes": 60, "place": "Park"},
            attendees=[(str(p.public_id), True, "Note.", []) for p in people],
        )
        return reverse("safety:group_session", kwargs={"group_id": group.public_id})

    client = client_for(owner)
    three, twelve = group_of(3), group_of(12)
    # One access-log row per person shown: a fixed number of queries per person.
    assert _queries(client, twelve) - _queries(client, three) == 9
