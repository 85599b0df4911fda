"""Creating, editing, consent, closing and reopening person records."""

import datetime
import re

import pytest
from django.urls import reverse

from caseload.models import Allocation, AuditEvent, ServiceUser, StageChange
from tests.accounts.factories import make_worker
from tests.caseload.conftest import details_data, person_url

CREATE_URL = "/people/new/"


def create_data(team, worker, **overrides):
    data = {
        "submission_token": "8a5b2a0e-3a53-4a55-9d8c-7a0c4e0b9a11",
        "preferred_name": "Jo",
        "full_name": "Joanna Example",
        "pronouns": "she/her",
        "reference": "CP-0042",
        "date_of_birth": "1980-05-17",
        "phone": "+44 7700 900982",
        "email": "jo@example.org",
        "postcode": "sw1a1aa",
        "team": str(team.pk),
        "allocated_worker": str(worker.pk),
        "referral_date": "2026-10-01",
        "referral_source": "GP",
        "referral_reason": "Lonely since moving to the area.",
    }
    data.update(overrides)
    return data


def test_worker_creates_a_person_for_their_team_with_history_and_normalised_contacts(
    client_for, owner, team_a
):
    response = client_for(owner).post(CREATE_URL, create_data(team_a, owner))
    person = ServiceUser.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert (person.team, person.allocated_worker) == (team_a, owner)
    assert (person.postcode, person.phone) == ("SW1A 1AA", "07700900982")
    assert StageChange.objects.get(service_user=person).to_stage == "referral"
    allocation = Allocation.objects.get(service_user=person)
    assert (allocation.from_worker, allocation.to_worker) == (None, owner)
    event = AuditEvent.objects.get(action="create")
    assert "referral_reason" in event.fields
    assert "Lonely" not in str(event.fields) + event.detail


def test_double_submitted_create_form_creates_one_person(client_for, owner, team_a):
    client = client_for(owner)
    first = client.post(CREATE_URL, create_data(team_a, owner))
    second = client.post(CREATE_URL, create_data(team_a, owner))
    assert ServiceUser.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_blank_create_form_carries_a_fresh_submission_token(client_for, owner):
    first = client_for(owner).get(CREATE_URL).content.decode()
    second = client_for(owner).get(CREATE_URL).content.decode()
    token = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')
    assert token.search(first).group(1) != token.search(second).group(1)


def test_supervisor_creates_a_person_allocated_to_a_worker(client_for, supervisor, owner, team_a):
    response = client_for(supervisor).post(CREATE_URL, create_data(team_a, owner))
    assert response.status_code == 302
    assert ServiceUser.objects.get().allocated_worker == owner


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2099-01-01", "must be today or in the past"),
        ("postcode", "XYZ 123", "Enter a real UK postcode"),
        ("email", "not-an-email", "Enter an email address"),
        ("phone", "12345", "Enter a UK phone number"),
        ("preferred_name", "x" * 101, "at most 100 characters"),
        ("preferred_name", "", "Enter the name the person likes to be called"),
        ("referral_date", "2099-01-01", "must be today or in the past"),
        ("date_of_birth", "31/02/2001", "Enter a valid date"),
    ],
)
def test_bad_input_on_create_gets_a_field_error_and_keeps_answers(
    client_for, owner, team_a, field, value, message
):
    response = client_for(owner).post(CREATE_URL, create_data(team_a, owner, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert "Joanna Example" in html or field == "full_name"
    assert not ServiceUser.objects.exists()


def test_allocated_worker_from_another_team_is_a_field_error(
    client_for, supervisor, team_a, other_worker
):
    response = client_for(supervisor).post(CREATE_URL, create_data(team_a, other_worker))
    assert response.status_code == 200
    assert 'href="#id_allocated_worker"' in response.content.decode()
    assert not ServiceUser.objects.exists()


def test_worker_in_two_teams_cannot_allocate_across_teams(client_for, owner, team_a, team_b):
    from accounts.models import TeamMembership

    TeamMembership.objects.create(user=owner, team=team_b, role="worker")
    other = make_worker(team_b, username="bworker")
    response = client_for(owner).post(
        CREATE_URL, create_data(team_a, owner, co_workers=[str(other.pk)])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Co-workers must be workers in Team A" in html
    assert not ServiceUser.objects.exists()


def test_worker_cannot_create_a_record_they_could_not_see(client_for, owner, colleague, team_a):
    response = client_for(owner).post(CREATE_URL, create_data(team_a, colleague))
    assert response.status_code == 200
    assert "Allocate the person to yourself" in response.content.decode()


@pytest.mark.parametrize("name", ["curator", "admin"])
def test_users_without_a_team_role_cannot_add_people(client_for, personas, name):
    assert client_for(personas[name]).get(CREATE_URL).status_code == 403


def test_owner_edits_details_and_version_moves_on(client_for, owner, person):
    response = client_for(owner).post(
        person_url("person_edit", person),
        details_data(person, full_name="Patricia Example", postcode="m1 1ae"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.postcode, person.version) == ("Patricia Example", "M1 1AE", 2)
    event = AuditEvent.objects.get(action="update")
    assert sorted(event.fields) == ["full_name", "postcode"]


def test_stale_edit_shows_conflict_page_and_overwrites_nothing(client_for, owner, person):
    ServiceUser.objects.filter(pk=person.pk).update(full_name="Saved By Someone", version=2)
    response = client_for(owner).post(
        person_url("person_edit", person),
        details_data(person, full_name="Typed By Me"),  # still at version 1
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Typed By Me" in html and "Saved By Someone" in html
    assert 'name="version" value="2"' in html
    person.refresh_from_db()
    assert person.full_name == "Saved By Someone"


def test_conditional_update_refuses_a_stale_version(owner, person):
    from caseload.services import service_user_update
    from core.conflicts import StaleEdit

    service_user_update(service_user=person, version=1, data={"pronouns": "they/them"}, by=owner)
    stale = ServiceUser.objects.get(pk=person.pk)
    stale.version = 1
    with pytest.raises(StaleEdit) as caught:
        service_user_update(service_user=stale, version=1, data={"pronouns": "she/her"}, by=owner)
    assert caught.value.current.pronouns == "they/them"
    assert ServiceUser.objects.get(pk=person.pk).version == 2


def test_missing_or_garbled_version_is_treated_as_a_conflict(client_for, owner, person):
    response = client_for(owner).post(
        person_url("person_edit", person), details_data(person, version="abc")
    )
    assert response.status_code == 409


def test_invalid_edit_keeps_the_loaded_version(client_for, owner, person):
    response = client_for(owner).post(
        person_url("person_edit", person), details_data(person, email="bad")
    )
    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()


def test_co_worker_from_another_team_is_a_field_error_on_edit(
    client_for, owner, person, other_worker
):
    response = client_for(owner).post(
        person_url("person_edit", person), details_data(person, co_workers=[other_worker.pk])
    )
    assert response.status_code == 200
    assert 'href="#id_co_workers_0"' in response.content.decode() or (
        "Select a valid choice" in response.content.decode()
    )
    assert not person.co_workers.exists()


def test_consent_answer_needs_a_date_and_records_who(client_for, owner, person, today):
    url = person_url("person_consent", person)
    client = client_for(owner)
    response = client.post(url, {"version": "1", "consent_to_take_part": "yes"})
    assert response.status_code == 200
    assert "Enter the date the person gave their answer" in response.content.decode()
    response = client.post(
        url,
        {
            "version": "1",
            "consent_to_take_part": "yes",
            "consent_date": today.isoformat(),
            "sharing_agreement": "Happy for my GP to know how I am getting on.",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.consent_to_take_part is True
    assert person.consent_recorded_by == owner
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Agreed to take part" in page and "Happy for my GP" in page


def test_what_matters_is_saved_in_the_persons_words_and_not_audited_as_text(
    client_for, owner, person
):
    words = "Getting back to the allotment and seeing my sister."
    client_for(owner).post(
        person_url("person_what_matters", person), {"version": "1", "what_matters": words}
    )
    person.refresh_from_db()
    assert person.what_matters == words
    assert words not in str(list(AuditEvent.objects.values_list("fields", "detail")))


def test_supervisor_closes_a_case_with_reason_and_reopens_it_to_the_previous_stage(
    client_for, supervisor, person, today
):
    client = client_for(supervisor)
    response = client.post(
        person_url("person_close", person),
        {"closed_on": today.isoformat(), "reason": "goals_met", "ending_summary": "Joined choir."},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.stage, person.status, person.closure_reason) == ("closed", "closed", "goals_met")
    assert person.closed_on == today
    response = client.post(person_url("person_reopen", person), {"note": "Asked for help again."})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.stage, person.status) == ("getting_started", "active")
    history = list(StageChange.objects.filter(service_user=person).order_by("id"))
    assert [(c.from_stage, c.to_stage) for c in history] == [
        ("getting_started", "closed"),
        ("closed", "getting_started"),
    ]
    assert history[-1].note == "Asked for help again."
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"close", "reopen"} <= actions


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"closed_on": "2099-01-01", "reason": "goals_met"}, "closed_on"),
        ({"closed_on": "2000-01-01", "reason": "goals_met"}, "closed_on"),
        ({"closed_on": "2026-11-01", "reason": "made_up"}, "reason"),
        ({"closed_on": "", "reason": ""}, "closed_on"),
    ],
)
def test_bad_closure_input_gets_field_errors(client_for, supervisor, person, data, field):
    response = client_for(supervisor).post(person_url("person_close", person), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert f'href="#id_{field}' in response.content.decode()
    person.refresh_from_db()
    assert not person.is_closed


def test_owner_cannot_close_or_reopen(client_for, owner, person, today):
    client = client_for(owner)
    assert client.get(person_url("person_close", person)).status_code == 403
    data = {"closed_on": today.isoformat(), "reason": "goals_met"}
    assert client.post(person_url("person_close", person), data).status_code == 403
    assert client.post(person_url("person_reopen", person), {}).status_code == 403


def test_person_page_shows_what_exists_and_not_empty_sections(client_for, owner, person):
    html = client_for(owner).get(person.get_absolute_url()).content.decode()
    assert "Pat" in html and "Getting to know each other" in html
    assert "Date of birth" not in html  # not recorded, so not shown
    assert "Access log" not in html  # supervisors only


def test_person_page_offers_supervisor_actions_to_supervisors(client_for, supervisor, person):
    html = client_for(supervisor).get(person.get_absolute_url()).content.decode()
    assert reverse("caseload:audit_log", kwargs={"public_id": person.public_id}) in html
    assert "Close the case" in html and "Reallocate" in html


def test_person_page_warns_when_there_has_been_no_contact_for_28_days(
    client_for, owner, person, today
):
    ServiceUser.objects.filter(pk=person.pk).update(
        last_contact_on=today - datetime.timedelta(days=40)
    )
    html = client_for(owner).get(person.get_absolute_url()).content.decode()
    assert "No contact for 28 days or more" in html


def test_a_reference_already_used_is_a_field_error(client_for, owner, team_a, person):
    ServiceUser.objects.filter(pk=person.pk).update(reference="CP-0042")
    response = client_for(owner).post(CREATE_URL, create_data(team_a, owner))
    assert response.status_code == 200
    assert "Another record already has this reference" in response.content.decode()
    assert ServiceUser.objects.count() == 1


def test_the_conflict_page_is_audited_as_a_view(client_for, owner, person):
    ServiceUser.objects.filter(pk=person.pk).update(version=5)
    client_for(owner).post(person_url("person_edit", person), details_data(person))
    assert AuditEvent.objects.filter(action="view", actor=owner).count() == 1
    assert not AuditEvent.objects.filter(action="update").exists()


def test_reopening_a_case_closed_at_referral_makes_it_referred_again(supervisor, person):
    from caseload.services import service_user_close, service_user_reopen

    ServiceUser.objects.filter(pk=person.pk).update(stage="referral", status="referred")
    person.refresh_from_db()
    service_user_close(
        service_user=person, by=supervisor, closed_on=person.referral_date, reason="not_eligible"
    )
    person.refresh_from_db()
    service_user_reopen(service_user=person, by=supervisor)
    person.refresh_from_db()
    assert (person.stage, person.status) == ("referral", "referred")


def test_co_worker_may_edit_the_persons_details(client_for, colleague, person):
    person.co_workers.add(colleague)
    response = client_for(colleague).post(
        person_url("person_edit", person), details_data(person, pronouns="he/him")
    )
    assert response.status_code == 302


def test_edit_form_has_no_way_to_move_stages(client_for, owner, person):
    html = client_for(owner).get(person_url("person_edit", person)).content.decode()
    assert 'name="stage"' not in html and 'name="allocated_worker"' not in html


def test_closing_a_closed_case_again_changes_nothing(client_for, supervisor, person, today):
    client = client_for(supervisor)
    data = {"closed_on": today.isoformat(), "reason": "goals_met"}
    client.post(person_url("person_close", person), data)
    response = client.post(person_url("person_close", person), {**data, "reason": "died"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.closure_reason == "goals_met"
    assert StageChange.objects.filter(service_user=person, to_stage="closed").count() == 1


def test_a_closed_case_offers_no_session_and_no_next_session(client_for, owner, person):
    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ServiceUser.objects.filter(pk=person.pk).update(
        status="closed", stage="closed", next_contact_on=tomorrow
    )
    client = client_for(owner)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Log a session" not in page and "Log the first session" not in page
    assert "None: the case is closed" in page
    assert f"{tomorrow.day} {tomorrow:%B %Y}" not in page
    listing = client.get(reverse("caseload:list") + "?status=all").content.decode()
    assert "None: case closed" in listing
    sessions = client.get(reverse("caseload:sessions", args=[person.public_id])).content.decode()
    assert "Log a session" not in sessions
