"""Reallocation by supervisors, and the access log."""

import pytest

from caseload.models import Allocation, AuditEvent
from tests.accounts.factories import make_worker
from tests.caseload.conftest import person_url
from tests.caseload.factories import ServiceUserFactory, SessionFactory


def test_supervisor_reallocates_with_a_note_and_history_is_kept(
    client_for, supervisor, owner, colleague, person
):
    response = client_for(supervisor).post(
        person_url("reallocate", person),
        {"to_worker": colleague.pk, "note": "Olive is on leave.", "keep_as_co_worker": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.allocated_worker == colleague
    assert list(person.co_workers.all()) == [owner]
    allocation = Allocation.objects.get()
    assert (allocation.from_worker, allocation.to_worker, allocation.changed_by) == (
        owner,
        colleague,
        supervisor,
    )
    assert allocation.note == "Olive is on leave."
    event = AuditEvent.objects.get(action="reallocate")
    assert "allocated_worker" in event.fields
    html = client_for(supervisor).get(person.get_absolute_url()).content.decode()
    assert "Olive is on leave." in html


def test_previous_worker_loses_access_unless_kept_as_co_worker(
    client_for, supervisor, owner, colleague, person
):
    client_for(supervisor).post(
        person_url("reallocate", person), {"to_worker": colleague.pk, "note": "Moving teams."}
    )
    assert client_for(owner).get(person.get_absolute_url()).status_code == 404
    assert client_for(colleague).get(person.get_absolute_url()).status_code == 200


def test_reallocating_to_a_co_worker_makes_them_allocated_only(
    client_for, supervisor, colleague, person
):
    person.co_workers.add(colleague)
    client_for(supervisor).post(
        person_url("reallocate", person), {"to_worker": colleague.pk, "note": "Handover."}
    )
    person.refresh_from_db()
    assert person.allocated_worker == colleague and not person.co_workers.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_worker": "", "note": "x"}, "Choose the worker to allocate the person to"),
        ({"to_worker": "OTHER", "note": "x"}, "Choose a worker in the person&#x27;s team"),
        ({"to_worker": "OWNER", "note": "x"}, "Choose a worker in the person&#x27;s team"),
        ({"to_worker": "COLLEAGUE", "note": ""}, "Enter a note saying why"),
        ({"to_worker": "COLLEAGUE", "note": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_reallocation_gets_a_field_error(
    client_for, supervisor, owner, colleague, other_worker, person, data, message
):
    ids = {"OTHER": other_worker.pk, "OWNER": owner.pk, "COLLEAGUE": colleague.pk}
    data = {k: ids.get(v, v) for k, v in data.items()}
    response = client_for(supervisor).post(person_url("reallocate", person), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    person.refresh_from_db()
    assert person.allocated_worker == owner


def test_owner_gets_403_and_outsiders_404_on_reallocate(
    client_for, owner, colleague, other_worker, person
):
    url = person_url("reallocate", person)
    assert client_for(owner).get(url).status_code == 403
    assert client_for(owner).post(url, {"to_worker": colleague.pk, "note": "x"}).status_code == 403
    assert client_for(other_worker).get(url).status_code == 404


def test_reallocation_for_a_lone_worker_team_explains_why_it_cannot(
    client_for, team_b, other_worker
):
    from tests.accounts.factories import make_supervisor

    boss = make_supervisor(team_b, username="boss")
    lonely = ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    html = client_for(boss).get(person_url("reallocate", lonely)).content.decode()
    assert "There is no other worker" in html
    make_worker(team_b, username="newcomer")
    html = client_for(boss).get(person_url("reallocate", lonely)).content.decode()
    assert "There is no other worker" not in html


def test_access_log_lists_views_and_changes_without_content(client_for, owner, supervisor, person):
    SessionFactory(service_user=person)
    client_for(owner).get(person.get_absolute_url())
    response = client_for(supervisor).get(person_url("audit_log", person))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Viewed" in html and "Olive" in html
    assert "walking group" not in html  # the session text is never in the log


def test_access_log_names_records_stages_and_reasons_in_words(client_for, supervisor, person):
    from caseload.audit import Action, audit_record

    audit_record(
        actor=supervisor, action=Action.STAGE, service_user=person, detail="moving_on → closed"
    )
    audit_record(actor=supervisor, action=Action.CLOSE, service_user=person, detail="goals_met")
    audit_record(actor=supervisor, action=Action.REOPEN, service_user=person, detail="back to plan")
    html = client_for(supervisor).get(person_url("audit_log", person)).content.decode()
    assert "Moving on → Closed" in html and "moving_on" not in html
    assert 'Closed <span class="small">(goals met, moved on)</span>' in html
    assert "back to Planning" in html
    assert "Person record" in html and ">serviceuser<" not in html


def test_workers_get_403_on_the_access_log(client_for, owner, colleague, person):
    person.co_workers.add(colleague)
    assert client_for(owner).get(person_url("audit_log", person)).status_code == 403
    assert client_for(colleague).get(person_url("audit_log", person)).status_code == 403


def test_every_person_page_view_is_audited(client_for, owner, person):
    client = client_for(owner)
    for name in [
        "person",
        "person_edit",
        "person_consent",
        "person_what_matters",
        "sessions",
        "session_create",
    ]:
        client.get(person_url(name, person))
    events = AuditEvent.objects.filter(action="view", actor=owner, service_user=person)
    assert events.count() == 6
    assert {e.path for e in events} == {
        person_url(name, person)
        for name in [
            "person",
            "person_edit",
            "person_consent",
            "person_what_matters",
            "sessions",
            "session_create",
        ]
    }


@pytest.mark.parametrize("rows", [3, 30])
def test_person_page_query_count_does_not_grow(
    client_for,
    supervisor,
    owner,
    colleague,
    person,
    django_assert_num_queries,
    rows,
    nothing_kept,
):
    from caseload.models import Allocation, StageChange

    person.co_workers.add(colleague)
    person.consent_to_take_part, person.consent_recorded_by = True, owner
    person.save()
    SessionFactory.create_batch(rows, service_user=person)
    for _n in range(rows):
        StageChange.objects.create(
            service_user=person, from_stage="plan", to_stage="connect", changed_by=owner
        )
        Allocation.objects.create(
            service_user=person, from_worker=owner, to_worker=colleague, changed_by=supervisor
        )
    client = client_for(supervisor)
    client.get("/")
    # +1 the risk alert banner, +1 the supervisors' overdue check-in banner (safety)
    with django_assert_num_queries(18):
        assert client.get(person.get_absolute_url()).status_code == 200
