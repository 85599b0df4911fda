"""The one conflict page, for every versioned form.

Someone else saved the record after the form was opened: the answer is 409,
nothing is overwritten, both versions are shown side by side, and the form is
there again with what was typed in it, carrying the saved version, so sending
it again replaces the saved version on purpose.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import AuditEvent, ServiceUser, Session
from goals.models import Goal, Step
from networks.models import NetworkMember
from tests.caseload.conftest import details_data, session_data
from tests.caseload.factories import SessionFactory
from tests.goals.factories import GoalFactory, StepFactory
from tests.networks.factories import NetworkMemberFactory
from tests.toolkit.factories import OrganizationFactory, ResourceFactory, ServiceFactory
from toolkit.models import Resource, Service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _form_html(html):
    """The conflict page's form (after the comparison table)."""
    return html[html.index('id="your-changes"') :]


def _table_html(html):
    return html[html.index("<table") : html.index("</table>")]


def assert_conflict_page(response, *, typed, saved, version, cancel_url):
    html = response.content.decode()
    assert response.status_code == 409
    assert [t.name for t in response.templates if "conflict" in t.name] == ["core/conflict.html"]
    assert "Someone else changed" in html
    table = _table_html(html)
    assert typed in table and saved in table  # side by side
    assert 'class="table-warning"' in table  # the rows that differ are marked
    form = _form_html(html)
    assert typed in form and saved not in form  # the form keeps what was typed
    assert re.search(rf'name="version" value="{version}"', form)
    assert f'href="{cancel_url}"' in form
    return html


def test_person_details(client_for, owner, person):
    url = reverse("caseload:person_edit", args=[person.public_id])
    ServiceUser.objects.filter(pk=person.pk).update(full_name="Saved By Someone", version=2)
    response = client_for(owner).post(url, details_data(person, full_name="Typed By Me"))
    assert_conflict_page(
        response,
        typed="Typed By Me",
        saved="Saved By Someone",
        version=2,
        cancel_url=person.get_absolute_url(),
    )
    assert AuditEvent.objects.filter(action="view", actor=owner, service_user=person).exists()
    person.refresh_from_db()
    assert person.full_name == "Saved By Someone"
    again = client_for(owner).post(url, details_data(person, full_name="Typed By Me"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.version) == ("Typed By Me", 3)


def test_person_consent_section(client_for, owner, person):
    url = reverse("caseload:person_what_matters", args=[person.public_id])
    ServiceUser.objects.filter(pk=person.pk).update(what_matters="Their words", version=2)
    response = client_for(owner).post(url, {"version": "1", "what_matters": "My words"})
    assert_conflict_page(
        response,
        typed="My words",
        saved="Their words",
        version=2,
        cancel_url=person.get_absolute_url(),
    )


def test_session(client_for, owner, person):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    session = SessionFactory(service_user=person, author=owner, date=yesterday)
    Session.objects.filter(pk=session.pk).update(what_we_did="Saved by the supervisor.", version=2)
    url = reverse("caseload:session_edit", args=[person.public_id, session.public_id])
    data = session_data(version="1", date=yesterday.isoformat(), what_we_did="Typed by me.")
    response = client_for(owner).post(url, data)
    assert_conflict_page(
        response,
        typed="Typed by me.",
        saved="Saved by the supervisor.",
        version=2,
        cancel_url=reverse("caseload:session", args=[person.public_id, session.public_id]),
    )
    assert AuditEvent.objects.filter(action="view", actor=owner, service_user=person).exists()
    session.refresh_from_db()
    assert session.what_we_did == "Saved by the supervisor."


def test_network_member(client_for, owner, person):
    member = NetworkMemberFactory(service_user=person, label="Sam", sector="family", ring=1)
    NetworkMember.objects.filter(pk=member.pk).update(label="Samantha", version=2)
    url = reverse("networks:member_edit", args=[person.public_id, member.public_id])
    data = {
        "label": "Sammy",
        "kind": "person",
        "sector": "friends",
        "ring": "2",
        "frequency": "weekly",
        "support": ["emotional"],
        "direction": "both_ways",
        "quality": "positive",
        "known_since": "",
        "added_on": member.added_on.isoformat(),
        "notes": "",
        "version": "1",
    }
    response = client_for(owner).post(url, data)
    html = assert_conflict_page(
        response,
        typed="Sammy",
        saved="Samantha",
        version=2,
        cancel_url=reverse("networks:map", args=[person.public_id]),
    )
    assert "Someone else changed Samantha" in html
    assert "Friends" in _table_html(html) and "Family" in _table_html(html)
    assert AuditEvent.objects.filter(action="view", actor=owner, service_user=person).exists()
    member.refresh_from_db()
    assert member.label == "Samantha"
    again = client_for(owner).post(url, {**data, "version": "2"})
    assert again.status_code == 302
    member.refresh_from_db()
    assert (member.label, member.sector) == ("Sammy", "friends")


def _goal_data(goal, **overrides):
    data = {
        "title": goal.title,
        "domain": goal.domain,
        "why_it_matters": "",
        "set_on": goal.set_on.isoformat(),
        "target_date": "",
        "level_minus_2": goal.level_minus_2,
        "level_minus_1": goal.level_minus_1,
        "level_0": goal.level_0,
        "level_plus_1": goal.level_plus_1,
        "level_plus_2": goal.level_plus_2,
        "baseline_level": "-1",
        "importance": "",
        "difficulty": "",
        "status": goal.status,
        "version": "1",
    }
    data.update(overrides)
    return data


def test_goal(client_for, owner, person):
    goal = GoalFactory(service_user=person, title="Go swimming")
    Goal.objects.filter(pk=goal.pk).update(title="Go swimming with Sam", version=2)
    url = reverse("goals:edit", args=[person.public_id, goal.public_id])
    response = client_for(owner).post(url, _goal_data(goal, title="Go swimming on Fridays"))
    assert_conflict_page(
        response,
        typed="Go swimming on Fridays",
        saved="Go swimming with Sam",
        version=2,
        cancel_url=goal.get_absolute_url(),
    )
    assert AuditEvent.objects.filter(action="view", actor=owner, service_user=person).exists()
    breadcrumbs = response.content.decode().split("</nav>")[1]
    assert "Go swimming with Sam" in breadcrumbs  # the saved goal, as saved
    goal.refresh_from_db()
    assert goal.title == "Go swimming with Sam"


def test_step(client_for, owner, person):
    goal = GoalFactory(service_user=person)
    step = StepFactory(goal=goal, what="Find the times")
    Step.objects.filter(pk=step.pk).update(what="Saved step", version=2)
    url = reverse("goals:step_edit", args=[person.public_id, goal.public_id, step.public_id])
    response = client_for(owner).post(
        url, {"what": "Typed step", "who": "person", "who_name": "", "version": "1"}
    )
    assert_conflict_page(
        response,
        typed="Typed step",
        saved="Saved step",
        version=2,
        cancel_url=goal.get_absolute_url(),
    )
    step.refresh_from_db()
    assert step.what == "Saved step"


def _resource_data(**overrides):
    data = {
        "title": "Meeting new people",
        "summary": "A guide.",
        "kind": "guide",
        "body": "Typed body",
        "stages": ["connect"],
        "tags": "",
        "external_url": "",
        "review_by": "",
        "version": "1",
    }
    data.update(overrides)
    return data


def test_toolkit_resource_keeps_its_history(client_for, curator):
    resource = ResourceFactory(title="Meeting new people", body="Original")
    client = client_for(curator)
    url = reverse("toolkit:resource_edit", args=[resource.public_id])
    assert client.post(url, _resource_data(body="Saved body")).status_code == 302
    response = client.post(url, _resource_data(body="Typed body"))
    html = assert_conflict_page(
        response,
        typed="Typed body",
        saved="Saved body",
        version=2,
        cancel_url=reverse("toolkit:resource", args=[resource.public_id]),
    )
    assert "Back button" not in html
    assert 'enctype="multipart/form-data"' in html
    resource.refresh_from_db()
    assert resource.body == "Saved body"
    assert client.post(url, _resource_data(body="Typed body", version="2")).status_code == 302
    resource.refresh_from_db()
    assert resource.body == "Typed body"
    latest = resource.versions.order_by("-number").first()
    assert resource.versions.count() == 2 and latest.data["body"] == "Typed body"


def test_toolkit_resource_status(client_for, curator):
    resource = ResourceFactory(status=Resource.Status.DRAFT)
    Resource.objects.filter(pk=resource.pk).update(status=Resource.Status.ARCHIVED, version=2)
    url = reverse("toolkit:resource_status", args=[resource.public_id])
    response = client_for(curator).post(url, {"action": "publish", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    table = _table_html(html)
    assert "Published" in table and "Archived" in table
    form = _form_html(html)
    assert re.search(r'value="publish"[^>]*checked', form)
    assert 'name="version" value="2"' in form
    resource.refresh_from_db()
    assert resource.status == Resource.Status.ARCHIVED


def test_directory_service(client_for, curator):
    organization = OrganizationFactory()
    service = ServiceFactory(name="Old name", organization=organization, related=False)
    Service.objects.filter(pk=service.pk).update(name="Saved name", version=2)
    url = reverse("toolkit:service_edit", args=[service.public_id])
    data = {
        "name": "Typed name",
        "organization": organization.pk,
        "new_organization": "",
        "description": "",
        "status": "active",
        "version": "1",
        "location-name": "",
        "location-address_1": "",
        "location-postal_code": "",
    }
    for prefix in ["schedules", "contacts", "costs"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client_for(curator).post(url, data)
    html = assert_conflict_page(
        response,
        typed="Typed name",
        saved="Saved name",
        version=2,
        cancel_url=reverse("toolkit:service", args=[service.public_id]),
    )
    assert "schedules-TOTAL_FORMS" in _form_html(html)  # the whole form, formsets too
    service.refresh_from_db()
    assert service.name == "Saved name"
