"""The session log: create, detail, edit, delete, contact dates, double submission."""

import datetime
import re

import pytest
from django.urls import reverse

from caseload.models import AuditEvent, ServiceUser, Session
from caseload.services import service_user_refresh_contact_dates
from tests.caseload.conftest import person_url, session_data, session_url
from tests.caseload.factories import SessionFactory

TOKEN = "3f1d8b8e-2f0e-4bd4-9a77-2f4f0f0e9c10"


def days_ago(n):
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=n)


def test_new_session_form_defaults_to_the_current_stage_and_today(client_for, owner, person):
    html = client_for(owner).get(person_url("session_create", person)).content.decode()
    assert re.search(r'<option value="getting_started"\s+selected', html)
    assert f'value="{days_ago(0).isoformat()}"' in html
    assert re.search(r'name="submission_token" value="[0-9a-f-]{36}"', html)


def test_owner_logs_a_session_and_contact_dates_follow(client_for, owner, person):
    response = client_for(owner).post(
        person_url("session_create", person), session_data(submission_token=TOKEN)
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == session_url("session", session)
    assert (session.author, session.stage, session.duration_minutes) == (
        owner,
        "getting_started",
        60,
    )
    person.refresh_from_db()
    assert person.last_contact_on == days_ago(1)
    assert person.next_contact_on == days_ago(-6)
    assert person.version == 1  # logging a session does not make open person edits stale
    event = AuditEvent.objects.get(action="create")
    assert event.object_type == "session" and "what_we_did" in event.fields
    assert "library" not in str(event.fields)


def test_double_submitted_session_form_creates_one_session_and_shows_the_first(
    client_for, owner, person
):
    client = client_for(owner)
    url = person_url("session_create", person)
    first = client.post(url, session_data(submission_token=TOKEN))
    second = client.post(url, session_data(submission_token=TOKEN))
    assert Session.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_resources_used_offers_only_published_resources(
    client_for, owner, person, published_resource, draft_resource
):
    client = client_for(owner)
    html = client.get(person_url("session_create", person)).content.decode()
    assert "Community mapping worksheet" in html and "Unfinished guide" not in html
    response = client.post(
        person_url("session_create", person),
        session_data(submission_token=TOKEN, resources_used=[published_resource.pk]),
    )
    assert response.status_code == 302
    assert list(Session.objects.get().resources_used.all()) == [published_resource]
    response = client.post(
        person_url("session_create", person),
        session_data(resources_used=[draft_resource.pk]),
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2099-01-01", "next_session_on": ""}, "date", "today or in the past"),
        ({"next_session_on": "2000-01-01"}, "next_session_on", "on or after the date"),
        ({"duration_minutes": "0"}, "duration_minutes", "at least 1 minute"),
        ({"duration_minutes": "721"}, "duration_minutes", "12 hours (720 minutes) or less"),
        ({"duration_minutes": "an hour"}, "duration_minutes", "whole number of minutes"),
        ({"kind": "seance"}, "kind", "Select a valid choice"),
        ({"stage": "closed"}, "stage", "Select a valid choice"),
        ({"what_we_did": "x" * 6001}, "what_we_did", "at most 6000 characters"),
        ({"date": ""}, "date", "Enter the date of the session"),
        ({"start_time": "25:99"}, "start_time", "Enter a valid time"),
    ],
)
def test_bad_session_input_gets_a_field_error_and_keeps_answers(
    client_for, owner, person, overrides, field, message
):
    response = client_for(owner).post(
        person_url("session_create", person), session_data(submission_token=TOKEN, **overrides)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert f'href="#id_{field}"' in html and message in html
    assert "looked at the notice board" in html or field == "what_we_did"
    assert TOKEN in html  # the retry is still protected against double submission
    assert not Session.objects.exists()


def test_did_not_attend_is_not_contact_but_its_next_date_is_planned(owner, person):
    SessionFactory(service_user=person, date=days_ago(10), kind="phone")
    SessionFactory(
        service_user=person, date=days_ago(2), kind="did_not_attend", next_session_on=days_ago(-3)
    )
    service_user_refresh_contact_dates(service_user=person)
    person.refresh_from_db()
    assert person.last_contact_on == days_ago(10)
    assert person.next_contact_on == days_ago(-3)


def test_next_contact_comes_from_the_latest_session_only_and_only_if_still_ahead(owner, person):
    SessionFactory(service_user=person, date=days_ago(10), next_session_on=days_ago(-20))
    SessionFactory(service_user=person, date=days_ago(2), next_session_on=None)
    service_user_refresh_contact_dates(service_user=person)
    person.refresh_from_db()
    assert person.next_contact_on is None
    SessionFactory(service_user=person, date=days_ago(1), next_session_on=days_ago(1))
    service_user_refresh_contact_dates(service_user=person)
    person.refresh_from_db()
    assert person.next_contact_on is None  # that date has already passed


def test_editing_and_deleting_sessions_keeps_contact_dates_right(
    client_for, owner, supervisor, person
):
    older = SessionFactory(service_user=person, date=days_ago(20))
    newer = SessionFactory(service_user=person, date=days_ago(3))
    service_user_refresh_contact_dates(service_user=person)
    client = client_for(owner)
    response = client.post(
        session_url("session_edit", newer),
        session_data(version="1", date=days_ago(5).isoformat(), next_session_on=""),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_contact_on == days_ago(5)
    client = client_for(supervisor)
    assert client.post(session_url("session_delete", newer)).status_code == 302
    person.refresh_from_db()
    assert person.last_contact_on == older.date
    assert AuditEvent.objects.filter(action="delete", object_type="session").exists()


def logged_days_ago(session, days):
    """Backdate when a session was logged (the edit window runs from then)."""
    from django.utils import timezone

    logged = timezone.now() - datetime.timedelta(days=days)
    type(session).objects.filter(pk=session.pk).update(created_at=logged)
    session.refresh_from_db()
    return session


def test_author_edits_within_seven_days_and_not_after(client_for, owner, person):
    recent = logged_days_ago(SessionFactory(service_user=person, author=owner, date=days_ago(7)), 7)
    old = logged_days_ago(SessionFactory(service_user=person, author=owner, date=days_ago(8)), 8)
    client = client_for(owner)
    assert client.get(session_url("session_edit", recent)).status_code == 200
    assert client.get(session_url("session_edit", old)).status_code == 403
    assert (
        client.post(session_url("session_edit", old), session_data(version="1")).status_code == 403
    )
    assert (
        "Edit"
        not in re.sub(
            r"<title>.*?</title>", "", client.get(session_url("session", old)).content.decode()
        )
        .split("Logged by")[0]
        .split("<h1")[1]
    )


def test_supervisor_edits_any_session_in_their_team(client_for, supervisor, person):
    old = SessionFactory(service_user=person, date=days_ago(90))
    response = client_for(supervisor).post(
        session_url("session_edit", old),
        session_data(
            version="1",
            date=days_ago(90).isoformat(),
            next_session_on="",
            what_we_did="Corrected by supervisor.",
        ),
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.what_we_did == "Corrected by supervisor." and old.version == 2


def test_co_worker_sees_but_cannot_edit_the_owners_session(client_for, colleague, person):
    person.co_workers.add(colleague)
    session = SessionFactory(service_user=person, date=days_ago(1))
    client = client_for(colleague)
    assert client.get(session_url("session", session)).status_code == 200
    assert client.get(session_url("session_edit", session)).status_code == 403


def test_only_supervisors_delete_sessions(client_for, owner, person):
    session = SessionFactory(service_user=person, date=days_ago(1))
    assert client_for(owner).post(session_url("session_delete", session)).status_code == 403
    assert Session.objects.filter(pk=session.pk).exists()


def test_stale_session_edit_shows_both_versions_and_saves_nothing(client_for, owner, person):
    session = SessionFactory(service_user=person, date=days_ago(1), what_we_did="Original.")
    Session.objects.filter(pk=session.pk).update(what_we_did="Saved by the supervisor.", version=2)
    response = client_for(owner).post(
        session_url("session_edit", session),
        session_data(version="1", date=days_ago(1).isoformat(), what_we_did="Typed by me."),
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Typed by me." in html and "Saved by the supervisor." in html
    session.refresh_from_db()
    assert session.what_we_did == "Saved by the supervisor."


def test_session_from_another_person_is_404(client_for, owner, person, team_a):
    from tests.caseload.factories import ServiceUserFactory

    other = ServiceUserFactory(team=team_a, allocated_worker=owner)
    session = SessionFactory(service_user=other)
    url = reverse(
        "caseload:session", kwargs={"public_id": person.public_id, "session_id": session.public_id}
    )
    assert client_for(owner).get(url).status_code == 404


def test_session_list_is_newest_first_and_paginated(client_for, owner, person):
    for n in range(25):
        SessionFactory(service_user=person, date=days_ago(n + 1), what_we_did=f"Visit {n}")
    client = client_for(owner)
    html = client.get(person_url("sessions", person)).content.decode()
    dates = re.findall(r'<th scope="row" class="fw-normal"><a href="[^"]+">([^<,]+)', html)
    assert len(dates) == 20
    assert dates[0] == f"{days_ago(1).day} {days_ago(1):%B %Y}"
    assert 'aria-label="Session pages"' in html and 'aria-current="page"' in html
    page2 = client.get(person_url("sessions", person) + "?page=2").content.decode()
    assert len(re.findall(r'<th scope="row" class="fw-normal">', page2)) == 5


def test_person_with_no_sessions_is_told_what_to_do_next(client_for, owner, person):
    html = client_for(owner).get(person_url("sessions", person)).content.decode()
    assert "Log the first session" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_session_list_query_count_does_not_grow(
    client_for, owner, person, published_resource, django_assert_max_num_queries, rows, nothing_kept
):
    SessionFactory.create_batch(rows, service_user=person)
    client = client_for(owner)
    client.get("/")  # warm the session
    # +1: the risk alert banner (safety); one fewer when the sessions fit on the
    # first page (it is its own count). Kept: test_kept_parts.py.
    with django_assert_max_num_queries(13):
        assert client.get(person_url("sessions", person)).status_code == 200


def test_session_pages_are_audited(client_for, owner, person):
    session = SessionFactory(service_user=person)
    client = client_for(owner)
    client.get(session_url("session", session))
    event = AuditEvent.objects.get(action="view")
    assert (event.object_type, event.object_id) == ("session", str(session.public_id))


def test_closed_person_contact_dates_are_untouched_by_person_edits(client_for, owner, person):
    SessionFactory(service_user=person, date=days_ago(4))
    service_user_refresh_contact_dates(service_user=person)
    person = ServiceUser.objects.get(pk=person.pk)
    from tests.caseload.conftest import details_data

    client_for(owner).post(
        person_url("person_edit", person), details_data(person, pronouns="he/him")
    )
    person.refresh_from_db()
    assert person.last_contact_on == days_ago(4)


def test_moving_a_sessions_date_does_not_extend_the_edit_window(client_for, owner, person):
    """A session logged 8 days ago stays closed to its author even if its date is recent."""
    session = logged_days_ago(
        SessionFactory(service_user=person, author=owner, date=days_ago(1)), 8
    )
    assert client_for(owner).get(session_url("session_edit", session)).status_code == 403


def test_a_session_logged_late_can_still_be_corrected_for_seven_days(client_for, owner, person):
    session = SessionFactory(service_user=person, author=owner, date=days_ago(20))
    assert client_for(owner).get(session_url("session_edit", session)).status_code == 200


def test_session_form_lists_the_current_stages_resources_first_and_the_rest_behind_more(
    client_for, owner, person
):
    from tests.toolkit.factories import ResourceFactory

    ResourceFactory(title="Zebra guide for getting started", stages=["getting_started"])
    ResourceFactory(title="Apple worksheet for planning", stages=["plan"])
    ResourceFactory(title="Mapping exercise", stages=["assess"])
    html = client_for(owner).get(person_url("session_create", person)).content.decode()
    assert "For “Getting to know each other”, Pat’s stage now:" in html
    before, more = html.split("<summary>More resources (2)</summary>")
    assert "Zebra guide for getting started" in before
    assert "Apple worksheet for planning" in more and "Mapping exercise" in more
    assert "<details" in before and " open>" not in before[before.rindex("<details") :]


def test_a_resource_chosen_from_more_keeps_the_list_open_after_an_error(client_for, owner, person):
    from tests.toolkit.factories import ResourceFactory

    ResourceFactory(title="Zebra guide", stages=["getting_started"])
    other = ResourceFactory(title="Apple worksheet", stages=["plan"])
    response = client_for(owner).post(
        person_url("session_create", person),
        session_data(resources_used=[other.pk], duration_minutes=""),
    )
    html = response.content.decode()
    assert "Enter how long the session lasted" in html
    assert '<details class="mt-2" open>' in html
    assert f'value="{other.pk}"' in html and "checked" in html
