"""Risk and safety alerts: access, bad input, ending, audit, the banner and its
query cost, and where alerts never appear."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseload import persondata
from caseload.models import AuditEvent
from safety.models import AlertCategory, RiskAlert
from tests.safety.factories import RiskAlertFactory

pytestmark = pytest.mark.django_db


def _url(name, person, alert=None):
    kwargs = {"public_id": person.public_id}
    if alert is not None:
        kwargs["alert_id"] = alert.public_id
    return reverse(f"safety:{name}", kwargs=kwargs)


def _valid(**overrides):
    data = {
        "category": AlertCategory.LONE_WORKING,
        "situation": "Visits to the flat have been difficult when the neighbour is in.",
        "what_to_do": "Visit in pairs, or meet at the library.",
        "review_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    data.update(overrides)
    return data


def test_every_alert_url_follows_the_access_rules(person, assert_person_access):
    alert = RiskAlertFactory(service_user=person)
    for name in ("alerts", "alert_create"):
        assert_person_access(_url(name, person))
    for name in ("alert_edit", "alert_end"):
        assert_person_access(_url(name, person, alert))


def test_outsiders_cannot_record_or_end_an_alert(person, personas, client_for):
    alert = RiskAlertFactory(service_user=person)
    for name in ("colleague", "other_worker", "curator", "admin"):
        client = client_for(personas[name])
        assert client.post(_url("alert_create", person), _valid()).status_code == 404
        assert client.post(_url("alert_end", person, alert), {"end_reason": "x"}).status_code == 404
    assert RiskAlert.objects.count() == 1
    alert.refresh_from_db()
    assert alert.is_active


def test_owner_records_an_alert_audited_and_once_for_a_double_submission(person, owner, client_for):
    client = client_for(owner)
    form = client.get(_url("alert_create", person)).context["form"]
    data = _valid(submission_token=str(form.submission_token))
    first = client.post(_url("alert_create", person), data)
    second = client.post(_url("alert_create", person), data)
    assert first.status_code == second.status_code == 302
    alert = RiskAlert.objects.get()
    assert alert.recorded_by == owner and alert.is_active
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, object_type="riskalert", service_user=person
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, path=_url("alert_create", person)
    ).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("category", "", "Choose what kind of alert this is."),
        ("what_to_do", "", "Say what a worker should do."),
        ("review_on", "2020-01-01", "The review date must be today or later."),
    ],
)
def test_bad_alert_input_is_a_field_error_keeping_the_answers(
    person, owner, client_for, field, value, message
):
    response = client_for(owner).post(_url("alert_create", person), _valid(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    content = response.content.decode()
    assert "<title>Error: " in content
    assert f'href="#id_{field}' in content
    assert "Visit in pairs" in content or field == "what_to_do"
    assert RiskAlert.objects.count() == 0


def test_ending_an_alert_needs_a_reason(person, owner, client_for):
    alert = RiskAlertFactory(service_user=person)
    client = client_for(owner)
    response = client.post(_url("alert_end", person, alert), {"end_reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["end_reason"] == ["Say why the alert is ending."]
    alert.refresh_from_db()
    assert alert.is_active
    response = client.post(_url("alert_end", person, alert), {"end_reason": "The dog was rehomed."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert not alert.is_active and alert.ended_by == owner
    assert alert.end_reason == "The dog was rehomed."
    assert AuditEvent.objects.filter(detail="ended", object_type="riskalert").count() == 1


def test_editing_a_stale_alert_shows_the_conflict_page(person, owner, supervisor, client_for):
    alert = RiskAlertFactory(service_user=person)
    stale = alert.version
    client = client_for(supervisor)
    assert (
        client.post(
            _url("alert_edit", person, alert), _valid(what_to_do="Meet outside.", version=stale)
        ).status_code
        == 302
    )
    response = client_for(owner).post(
        _url("alert_edit", person, alert), _valid(what_to_do="Visit in pairs.", version=stale)
    )
    assert response.status_code == 409
    alert.refresh_from_db()
    assert alert.what_to_do == "Meet outside."


def test_edit_may_keep_a_review_date_that_has_passed(person, owner, client_for):
    alert = RiskAlertFactory(service_user=person)
    RiskAlert.objects.filter(pk=alert.pk).update(review_on=datetime.date(2020, 1, 1))
    data = _valid(review_on="2020-01-01", version=alert.version)
    response = client_for(owner).post(_url("alert_edit", person, alert), data)
    assert response.status_code == 302


def _person_pages(person):
    pid = {"public_id": person.public_id}
    return {
        "person": reverse("caseload:person", kwargs=pid),
        "sessions": reverse("caseload:sessions", kwargs=pid),
        "map": reverse("networks:map", kwargs=pid),
        "goals": reverse("goals:list", kwargs=pid),
        "journey": reverse("workflow:journey", kwargs=pid),
        "outcomes": reverse("outcomes:list", kwargs=pid),
    }


def _alert_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries if "safety_riskalert" in q["sql"]]


@pytest.mark.parametrize("page", ["person", "sessions", "map", "goals", "journey", "outcomes"])
def test_banner_shows_on_every_page_about_the_person_in_one_query(person, owner, client_for, page):
    client = client_for(owner)
    url = _person_pages(person)[page]
    _response, none = _alert_queries(client, url)
    RiskAlertFactory(service_user=person, situation="A large dog at the address.")
    for n in range(4):
        RiskAlertFactory(service_user=person, situation=f"Situation {n}.")
    ended = RiskAlertFactory(service_user=person, situation="An ended one.")
    RiskAlert.objects.filter(pk=ended.pk).update(ended_at=timezone.now(), end_reason="Gone.")
    response, five = _alert_queries(client, url)
    content = response.content.decode()
    assert "5 active alerts" in content and "A large dog at the address." in content
    assert "An ended one." not in content
    assert len(none) == 1 and len(five) == 1, (none, five)


def test_the_banner_adds_one_query_to_the_person_page(person, owner, client_for, settings):
    client = client_for(owner)
    url = _person_pages(person)["person"]
    with CaptureQueriesContext(connection) as with_banner:
        client.get(url)
    RiskAlertFactory.create_batch(3, service_user=person)
    with CaptureQueriesContext(connection) as with_three:
        client.get(url)
    # The same page costs the same with no alert and with three: one query for them.
    assert len(with_three) == len(with_banner)


def test_alerts_never_show_in_the_summary_for_the_person(person, owner, client_for):
    RiskAlertFactory(service_user=person, situation="A large dog at the address.")
    url = reverse("workflow:person_summary", kwargs={"public_id": person.public_id})
    with CaptureQueriesContext(connection) as queries:
        response = client_for(owner).get(url)
    assert response.status_code == 200
    assert "large dog" not in response.content.decode()
    assert "Risk and safety" not in response.content.decode()
    assert not [q for q in queries if "safety_riskalert" in q["sql"]]


def test_alerts_are_in_the_subject_access_copy_and_erased_with_the_person(person):
    RiskAlertFactory(service_user=person, situation="A large dog at the address.")
    exported = persondata.export_person(person)
    assert exported["safety"]["data"]["alerts"][0]["situation"] == "A large dog at the address."
    assert exported["safety"]["data"]["alerts"][0]["category"] == "Environment at the address"
    from caseload import readable

    assert "A large dog at the address." in readable.render(exported["safety"]["data"])
    persondata.erase_person(person)
    assert not RiskAlert.objects.exists()


def test_alerts_are_in_no_network_export(person, owner, client_for):
    from networks.forms import ExportForm

    RiskAlertFactory(service_user=person, situation="A large dog at the address.")
    client = client_for(owner)
    url = reverse("networks:export", kwargs={"public_id": person.public_id})
    choices = [value for value, _label in ExportForm.base_fields["what"].choices if value]
    assert len(choices) == 3
    for what in choices:
        response = client.post(url, {"what": what})
        assert response.status_code == 200 and response.content, what
        assert b"large dog" not in response.content


def test_the_alert_list_says_what_to_do_when_there_is_none(person, owner, client_for):
    response = client_for(owner).get(_url("alerts", person))
    content = response.content.decode()
    assert "There are no active alerts" in content
    assert (
        "Describe the situation, not the person"
        in client_for(owner).get(_url("alert_create", person)).content.decode()
    )


def test_the_banner_repeats_the_access_rules_unless_the_person_was_fetched_through_them(
    person, owner, colleague
):
    from caseload.access import get_service_user_for
    from caseload.models import ServiceUser
    from safety.selectors import active_alerts_for_banner

    RiskAlertFactory(service_user=person)
    fetched = get_service_user_for(owner, person.public_id)
    with CaptureQueriesContext(connection) as queries:
        assert len(active_alerts_for_banner(owner, fetched)) == 1
    assert "co_workers" not in queries[0]["sql"]  # no guard: the rules were just applied
    # The same person read another way, or fetched for someone else, is checked again.
    loaded = ServiceUser.objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries:
        assert len(active_alerts_for_banner(owner, loaded)) == 1
    assert "co_workers" in queries[0]["sql"]
    assert active_alerts_for_banner(colleague, loaded) == []
    assert active_alerts_for_banner(colleague, fetched) == []
