"""Alerts on the board and in "my week": a marker per person, no query per person."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload.models import ServiceUser
from safety.models import RiskAlert
from tests.caseload.factories import ServiceUserFactory
from tests.safety.factories import RiskAlertFactory

pytestmark = pytest.mark.django_db


def _people(team, worker, n, start=0):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    people = ServiceUser.objects.bulk_create(
        [
            ServiceUser(
                team=team,
                allocated_worker=worker,
                preferred_name=f"Person {start + i:03}",
                referral_date=timezone.localdate() - datetime.timedelta(days=10),
                status="active",
                stage="connect",
                next_contact_on=tomorrow,
            )
            for i in range(n)
        ]
    )
    RiskAlert.objects.bulk_create(
        [
            RiskAlert(
                service_user=person,
                category="environment",
                situation="A dog at the address.",
                what_to_do="Ring ahead.",
                review_on=timezone.localdate() - datetime.timedelta(days=1),
                recorded_by=worker,
            )
            for person in people[::2]
        ]
    )
    return people


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url_name", ["workflow:board", "workflow:my_week"])
def test_alert_markers_for_200_people_cost_no_query_per_person(team_a, owner, client_for, url_name):
    client = client_for(owner)
    url = reverse(url_name)
    _people(team_a, owner, 20)
    small, html = _count(client, url)
    assert "safety alert" in html and "review date passed" in html
    _people(team_a, owner, 180, start=20)
    large, html = _count(client, url)
    assert large == small, (small, large)
    assert html.count("cp-alert-marker") >= 12


def test_board_marks_only_people_with_an_active_alert(person, owner, client_for):
    other = ServiceUserFactory(team=person.team, allocated_worker=owner, preferred_name="Quinn")
    alert = RiskAlertFactory(service_user=person)
    ended = RiskAlertFactory(service_user=other)
    RiskAlert.objects.filter(pk=ended.pk).update(ended_at=timezone.now(), end_reason="Gone.")
    html = client_for(owner).get(reverse("workflow:board")).content.decode()
    assert html.count("cp-alert-marker") == 1
    assert reverse("safety:alerts", kwargs={"public_id": person.public_id}) in html
    assert "review date passed" not in html
    RiskAlert.objects.filter(pk=alert.pk).update(review_on=datetime.date(2020, 1, 1))
    assert "review date passed" in client_for(owner).get(reverse("workflow:board")).content.decode()


def test_alerts_past_review_are_flagged_to_the_worker_and_the_supervisor(
    person, owner, supervisor, colleague, client_for
):
    RiskAlertFactory(service_user=person, review_on=datetime.date(2020, 1, 1))
    for user in (owner, supervisor):
        html = client_for(user).get(reverse("safety:overview")).content.decode()
        assert "1 January 2020" in html and "Pat" in html, user
    html = client_for(colleague).get(reverse("safety:overview")).content.decode()
    assert "No alert is past its review date" in html


def test_the_reminder_digest_names_alerts_past_their_review_date(person, owner):
    from django.core import mail

    from workflow.reminders import send_digests

    owner.email = "olive@example.org"
    owner.save()
    RiskAlertFactory(service_user=person, review_on=datetime.date(2020, 1, 1))
    send_digests(base_url="https://cp.example")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Risk and safety alert past its review date" in body
    assert f"https://cp.example/people/{person.public_id}/alerts/" in body
    # initials only (as a whole word: the worker's random surname may hold "Pat")
    assert not re.search(r"\bPat\b", body)
