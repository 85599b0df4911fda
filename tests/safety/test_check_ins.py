"""Lone-working check-ins: the team setting, starting and closing, overdue ones
for the supervisors (banner, dashboard, email once), and bad input."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import alerting, services
from safety.models import LoneWorkingCheckIn
from tests.safety.factories import CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_ins_on(team_a, supervisor):
    services.team_set_check_ins(team=team_a, enabled=True, by=supervisor)
    return team_a


def _when(delta):
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def _start(client, **overrides):
    data = {
        "where": "Oak Road library",
        "with_whom": "On my own",
        "expected_back_at": _when(datetime.timedelta(hours=1)),
    }
    data.update(overrides)
    return client.post(reverse("safety:check_in_start"), data)


def test_check_ins_are_off_until_a_supervisor_switches_them_on(
    team_a, owner, supervisor, client_for
):
    client = client_for(owner)
    assert client.get(reverse("safety:check_in_start")).status_code == 403
    assert (
        "does not use lone-working check-ins"
        in client.get(reverse("safety:overview")).content.decode()
    )
    url = reverse("safety:team_check_ins", kwargs={"team_id": team_a.public_id})
    assert client.post(url, {"check_ins_enabled": "on"}).status_code == 403
    response = client_for(supervisor).post(url, {"check_ins_enabled": "on"})
    assert response.status_code == 302
    assert client_for(owner).get(reverse("safety:check_in_start")).status_code == 200


def test_a_supervisor_of_another_team_cannot_switch_this_team(team_a, team_b, client_for):
    from tests.accounts.factories import make_supervisor

    other = make_supervisor(team_b, username="other_sup")
    url = reverse("safety:team_check_ins", kwargs={"team_id": team_a.public_id})
    assert client_for(other).post(url, {"check_ins_enabled": "on"}).status_code == 404


def test_safety_pages_for_each_persona(check_ins_on, personas, client_for, client):
    overview = reverse("safety:overview")
    start = reverse("safety:check_in_start")
    client.logout()
    assert client.get(overview).status_code == 302
    expected = {
        "owner": (200, 200),
        "colleague": (200, 200),
        "other_worker": (200, 403),  # team B does not use check-ins
        "supervisor": (200, 403),
        "curator": (403, 403),
        "admin": (403, 403),
    }
    for name, (overview_status, start_status) in expected.items():
        c = client_for(personas[name])
        assert c.get(overview).status_code == overview_status, name
        assert c.get(start).status_code == start_status, name


def test_worker_checks_in_and_says_they_are_back_once(check_ins_on, owner, person, client_for):
    client = client_for(owner)
    form = client.get(reverse("safety:check_in_start")).context["form"]
    token = str(form.submission_token)
    assert _start(client, submission_token=token, service_user=person.pk).status_code == 302
    assert _start(client, submission_token=token, service_user=person.pk).status_code == 302
    check_in = LoneWorkingCheckIn.objects.get()
    assert check_in.worker == owner and check_in.team == check_ins_on
    assert check_in.service_user == person and check_in.is_open
    back = reverse("safety:check_in_back", kwargs={"check_in_id": check_in.public_id})
    assert client.post(back).status_code == 302
    check_in.refresh_from_db()
    closed_at = check_in.closed_at
    assert closed_at is not None
    client.post(back)
    check_in.refresh_from_db()
    assert check_in.closed_at == closed_at


def test_another_worker_cannot_close_my_check_in(check_ins_on, owner, colleague, client_for):
    check_in = CheckInFactory(worker=owner, team=check_ins_on)
    back = reverse("safety:check_in_back", kwargs={"check_in_id": check_in.public_id})
    assert client_for(colleague).post(back).status_code == 404
    check_in.refresh_from_db()
    assert check_in.is_open


def test_a_person_outside_the_caseload_cannot_be_named(
    check_ins_on, owner, team_b, other_worker, client_for
):
    from tests.caseload.factories import ServiceUserFactory

    stranger = ServiceUserFactory(team=team_b, allocated_worker=other_worker)
    response = _start(client_for(owner), service_user=stranger.pk)
    assert response.status_code == 200
    assert "service_user" in response.context["form"].errors
    assert not LoneWorkingCheckIn.objects.exists()


def test_expected_return_before_the_start_is_a_field_error(check_ins_on, owner, client_for):
    response = _start(client_for(owner), expected_back_at=_when(-datetime.timedelta(minutes=10)))
    assert response.status_code == 200
    assert response.context["form"].errors["expected_back_at"] == [
        "The expected return must be after the start of the check-in (now)."
    ]
    content = response.content.decode()
    assert "<title>Error: " in content and 'href="#id_expected_back_at"' in content
    assert "Oak Road library" in content
    assert not LoneWorkingCheckIn.objects.exists()


def _overdue(team, worker, minutes_late=31):
    return CheckInFactory(
        worker=worker,
        team=team,
        expected_back_at=timezone.now() - datetime.timedelta(minutes=minutes_late),
    )


def test_supervisor_sees_an_overdue_check_in_with_the_phone_on_every_page(
    check_ins_on, owner, supervisor, client_for
):
    owner.phone = "07700 900 982"
    owner.save()
    _overdue(check_ins_on, owner, minutes_late=29)  # not overdue yet
    client = client_for(supervisor)
    home = client.get(reverse("home")).content.decode()
    assert "not back" not in home
    _overdue(check_ins_on, owner)
    for url in (reverse("home"), reverse("caseload:list"), reverse("workflow:dashboard")):
        content = client.get(url).content.decode()
        assert "1 worker not back" in content, url
        assert "07700 900 982" in content, url
    dashboard = client.get(reverse("workflow:dashboard")).content.decode()
    assert "Lone-working check-ins overdue" in dashboard
    # The worker and their colleague do not get the supervisors' banner.
    assert "not back" not in client_for(owner).get(reverse("home")).content.decode()


def test_overdue_banner_costs_one_query_for_supervisors_and_none_for_workers(
    check_ins_on, owner, supervisor, client_for
):
    def check_in_queries(user):
        with CaptureQueriesContext(connection) as queries:
            client_for(user).get(reverse("home"))
        return [q for q in queries if "safety_loneworkingcheckin" in q["sql"]]

    _overdue(check_ins_on, owner)
    assert len(check_in_queries(supervisor)) == 1
    for _n in range(5):
        _overdue(check_ins_on, owner)
    assert len(check_in_queries(supervisor)) == 1
    assert check_in_queries(owner) == []


def test_check_ins_of_a_team_with_check_ins_off_are_not_shown(
    check_ins_on, owner, supervisor, client_for
):
    _overdue(check_ins_on, owner)
    services.team_set_check_ins(team=check_ins_on, enabled=False, by=supervisor)
    assert "not back" not in client_for(supervisor).get(reverse("home")).content.decode()


def test_check_lone_working_emails_the_supervisors_once(check_ins_on, owner, supervisor):
    supervisor.email = "suki@example.org"
    supervisor.save()
    owner.phone = "07700 900 982"
    owner.save()
    _overdue(check_ins_on, owner, minutes_late=10)
    call_command("check_lone_working")
    assert mail.outbox == []
    late = _overdue(check_ins_on, owner)
    call_command("check_lone_working", "--base-url", "https://cp.example")
    call_command("check_lone_working")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["suki@example.org"]
    assert "07700 900 982" in message.body and "Oak Road library" in message.body
    late.refresh_from_db()
    assert late.notified_at is not None


def test_a_closed_check_in_is_never_emailed_about(check_ins_on, owner, supervisor):
    supervisor.email = "suki@example.org"
    supervisor.save()
    late = _overdue(check_ins_on, owner)
    services.check_in_close(check_in=late, by=owner)
    call_command("check_lone_working")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_email(team_a, owner, supervisor):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need PostgreSQL (SQLite serialises writers)")
    services.team_set_check_ins(team=team_a, enabled=True, by=supervisor)
    supervisor.email = "suki@example.org"
    supervisor.save()
    _overdue(team_a, owner)
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(alerting.notify_overdue())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent for sent, _none in results) == [0, 1]
    assert len(mail.outbox) == 1


def test_a_worker_saves_their_work_phone(owner, client_for):
    client = client_for(owner)
    url = reverse("accounts:phone")
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "not a phone"})
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert client.post(url, {"phone": "07700  900 982"}).status_code == 302
    owner.refresh_from_db()
    assert owner.phone == "07700 900 982"
