"""Every person-data URL in caseload, checked for every persona (DESIGN §6)."""

import datetime

import pytest
from django.utils import timezone

from tests.caseload.conftest import person_url, session_data, session_url
from tests.caseload.factories import SessionFactory


@pytest.fixture
def session(person, owner):
    return SessionFactory(
        service_user=person, author=owner, date=timezone.localdate() - datetime.timedelta(days=1)
    )


@pytest.mark.parametrize(
    "name",
    [
        "person",
        "person_edit",
        "person_consent",
        "person_what_matters",
        "sessions",
        "session_create",
    ],
)
def test_person_pages_follow_the_access_rules(assert_person_access, person, name):
    assert_person_access(person_url(name, person))


@pytest.mark.parametrize("name", ["session", "session_edit"])
def test_session_pages_follow_the_access_rules(assert_person_access, session, name):
    assert_person_access(session_url(name, session))


@pytest.mark.parametrize("name", ["reallocate", "person_close", "audit_log"])
def test_supervisor_only_pages_hide_the_person_from_outsiders(
    assert_person_access, client_for, owner, person, name
):
    url = person_url(name, person)
    assert_person_access(url, allowed=("supervisor",))
    assert client_for(owner).get(url).status_code == 403


def test_supervisor_only_session_delete_page(assert_person_access, client_for, owner, session):
    url = session_url("session_delete", session)
    assert_person_access(url, allowed=("supervisor",))
    assert client_for(owner).get(url).status_code == 403


def test_reopen_page_for_a_closed_case(assert_person_access, client_for, owner, person):
    from caseload.models import ServiceUser

    ServiceUser.objects.filter(pk=person.pk).update(status="closed", stage="closed")
    url = person_url("person_reopen", person)
    assert_person_access(url, allowed=("supervisor",))
    assert client_for(owner).get(url).status_code == 403


def test_posting_a_session_follows_the_access_rules(assert_person_access, person):
    from caseload.models import Session

    assert_person_access(
        person_url("session_create", person), method="post", data=session_data(), ok=(302,)
    )
    assert Session.objects.count() == 2  # owner and supervisor only


def test_posting_an_edit_follows_the_access_rules(assert_person_access, person):
    from tests.caseload.conftest import details_data

    # The supervisor's post after the owner's finds a newer version: a conflict, not a save.
    assert_person_access(
        person_url("person_edit", person), method="post", data=details_data(person), ok=(302, 409)
    )


def test_posting_a_reallocation_as_an_outsider_is_404(client_for, personas, person, colleague):
    url = person_url("reallocate", person)
    for name in ["colleague", "other_worker", "curator", "admin"]:
        response = client_for(personas[name]).post(url, {"to_worker": colleague.pk, "note": "x"})
        assert response.status_code == 404, name
    person.refresh_from_db()
    assert person.allocated_worker == personas["owner"]
