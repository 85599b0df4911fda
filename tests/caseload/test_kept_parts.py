"""The bodies of a person's summary, sessions, network map and goals pages are kept while
their records are unchanged (caseload/kept.py): each is the page a visit works
out, for everyone allowed to see it, never shows a change late, and holds
nothing of one visitor that another would see."""

import datetime
import io
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from caseload import kept
from caseload.models import Allocation, ServiceUser, StageChange
from tests.caseload.factories import SessionFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory, make_tie

PAGES = {"summary": "", "sessions": "sessions/", "network_map": "network/", "goals": "goals/"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def _url(person, part):
    return f"/people/{person.public_id}/{PAGES[part]}"


def _main(client, person, part):
    response = client.get(_url(person, part))
    assert response.status_code == 200
    html = response.content.decode()
    return TOKEN.sub("", html[html.index("<main") : html.index("</main>")])


def _fill(person, owner, colleague, supervisor, n):
    """A record with something in every section of the three pages."""
    person.co_workers.add(colleague)
    person.consent_to_take_part, person.consent_recorded_by = True, owner
    person.what_matters = "Getting back to the allotment"
    person.save()
    SessionFactory.create_batch(n, service_user=person, author=owner)
    for _ in range(n):
        StageChange.objects.create(
            service_user=person, from_stage="plan", to_stage="connect", changed_by=owner
        )
        Allocation.objects.create(
            service_user=person, from_worker=owner, to_worker=colleague, changed_by=supervisor
        )
    members = NetworkMemberFactory.create_batch(n + 1, service_user=person)
    make_tie(members[0], members[1])
    NetworkMemberFactory(service_user=person, ended_on=timezone.localdate(), end_reason="Moved")
    goals = GoalFactory.create_batch(n, service_user=person)
    for goal in goals:
        StepFactory(goal=goal)
        StepFactory(goal=goal, done_on=timezone.localdate())
    make_review(person, {goals[0]: 0}, days_ago=3, by=owner)


@pytest.fixture
def full_record(person, owner, colleague, supervisor):
    _fill(person, owner, colleague, supervisor, 3)
    return person


@pytest.mark.parametrize("part", PAGES)
def test_each_kept_page_is_the_page_worked_out_for_everyone_who_may_see_it(
    client_for, full_record, owner, colleague, supervisor, settings, part
):
    person = full_record
    worked_out = {}
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "KEPT_PARTS_SECONDS": 0}
    for user in (owner, colleague, supervisor):
        worked_out[user.pk] = _main(client_for(user), person, part)
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "KEPT_PARTS_SECONDS": 3600}
    # Whoever makes the copy, each of them then reads it as their own page.
    for first in (owner, supervisor):
        caches["kept"].clear()
        _main(client_for(first), person, part)
        for user in (owner, colleague, supervisor):
            assert _main(client_for(user), person, part) == worked_out[user.pk]


@pytest.mark.parametrize("part", PAGES)
def test_no_one_else_gets_the_kept_page(
    client_for, full_record, owner, other_worker, curator, admin_user, part
):
    _main(client_for(owner), full_record, part)
    for user in (other_worker, curator, admin_user):
        assert client_for(user).get(_url(full_record, part)).status_code == 404
    anonymous = client_for(None).get(_url(full_record, part))
    assert anonymous.status_code == 302 and "/login/" in anonymous.url


def test_supervisor_actions_show_only_to_the_supervisor_whoever_made_the_copy(
    client_for, person, owner, supervisor
):
    for first, second in ((owner, supervisor), (supervisor, owner)):
        caches["kept"].clear()
        _main(client_for(first), person, "summary")
        for user in (first, second):
            html = _main(client_for(user), person, "summary")
            shown = user == supervisor
            assert ("Supervisor actions" in html) is shown
            assert (f"/people/{person.public_id}/reallocate/" in html) is shown


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("part", PAGES)
def test_a_second_visit_reads_the_kept_page_in_a_few_queries(
    client_for, person, owner, colleague, supervisor, django_assert_num_queries, rows, part
):
    _fill(person, owner, colleague, supervisor, rows)
    client = client_for(owner)
    _main(client, person, part)
    # What every signed-in page costs (8), the person through the access rules
    # (with their version), the audit event, the alert banner and the kept copy.
    with django_assert_num_queries(12):
        _main(client, person, part)


@pytest.mark.parametrize(
    "part, change, shown",
    [
        ("summary", lambda p: SessionFactory(service_user=p, duration_minutes=47), "47 min"),
        ("sessions", lambda p: SessionFactory(service_user=p, duration_minutes=47), "47 min"),
        (
            "summary",
            lambda p: ServiceUser.objects.filter(pk=p.pk).update(what_matters="Singing"),
            "Singing",
        ),
        (
            "network_map",
            lambda p: NetworkMemberFactory(service_user=p, label="Aunt Bea"),
            "Aunt Bea",
        ),
        ("goals", lambda p: GoalFactory(service_user=p, title="Join the choir"), "Join the choir"),
        (
            "goals",
            lambda p: StepFactory(goal=GoalFactory(service_user=p), what="Ring Sam"),
            "Ring Sam",
        ),
    ],
)
def test_any_change_to_the_person_shows_at_once(client_for, person, owner, part, change, shown):
    client = client_for(owner)
    assert shown not in _main(client, person, part)
    change(person)
    assert shown in _main(client, person, part)


def test_forms_in_a_kept_page_carry_the_visitors_own_token(client_for, person, owner, colleague):
    person.co_workers.add(colleague)
    step = StepFactory(goal=GoalFactory(service_user=person), what="Ring Sam")
    _main(client_for(owner), person, "goals")  # the copy is made for the owner
    visitor = Client(enforce_csrf_checks=True)
    visitor.force_login(colleague)
    html = visitor.get(_url(person, "goals")).content.decode()
    assert kept.CSRF_STANDIN not in html
    token = TOKEN.search(html[html.index("Ring Sam") - 2000 :]).group(1)
    done = visitor.post(
        f"/people/{person.public_id}/goals/{step.goal.public_id}/steps/{step.public_id}/done/",
        {"csrfmiddlewaretoken": token, "done": "1", "back": "list"},
    )
    assert done.status_code == 302
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_ended_members_and_their_forms_are_worked_out_on_each_visit(client_for, person, owner):
    NetworkMemberFactory(service_user=person, label="Old friend", ended_on=timezone.localdate())
    client = client_for(owner)
    assert "Show 1 ended member" in _main(client, person, "network_map")
    html = client.get(_url(person, "network_map") + "?ended=1").content.decode()
    assert "Bring back" in html and "Old friend" in html
    assert kept.CSRF_STANDIN not in html and TOKEN.search(html)


def test_the_parts_that_read_the_date_are_worked_out_again_each_day(
    client_for, person, owner, monkeypatch
):
    client = client_for(owner)
    for part in PAGES:
        _main(client, person, part)
    kept_today = {
        part.name: caches["kept"].get(part.key(person))[0] for part in kept.registered_parts()
    }
    later = timezone.localdate() + datetime.timedelta(days=400)
    monkeypatch.setattr(timezone, "localdate", lambda *args: later)
    for part in PAGES:
        _main(client, person, part)
    for part in kept.registered_parts():
        changed = caches["kept"].get(part.key(person))[0] != kept_today[part.name]
        assert changed is part.by_date
    assert {part.name for part in kept.registered_parts() if part.by_date} == {"summary", "goals"}


def test_keep_ahead_makes_every_part_ready(client_for, full_record, owner):
    out = io.StringIO()
    call_command("keep_ahead", stdout=out)
    assert f"{len(PAGES)} other parts of people's pages" in out.getvalue()
    for part in kept.registered_parts():
        assert caches["kept"].get(part.key(full_record)) is not None
    # Worked out for many at once, each is the page a visit works out.
    client = client_for(owner)
    made_ahead = {part: _main(client, full_record, part) for part in PAGES}
    caches["kept"].clear()
    for part in PAGES:
        assert _main(client, full_record, part) == made_ahead[part]
    again = io.StringIO()
    call_command("keep_ahead", stdout=again)
    assert "0 other parts" in again.getvalue()  # nothing changed: nothing to work out


def test_renaming_a_team_shows_at_once(
    client_for, person, owner, team_a, django_capture_on_commit_callbacks
):
    client = client_for(owner)
    assert team_a.name in _main(client, person, "summary")
    with django_capture_on_commit_callbacks(execute=True):
        team_a.name = "Northfield Community Team"
        team_a.save()
    assert "Northfield Community Team" in _main(client, person, "summary")


def test_saving_a_team_unchanged_keeps_the_kept_parts(
    client_for, person, owner, team_a, django_capture_on_commit_callbacks
):
    _main(client_for(owner), person, "summary")
    with django_capture_on_commit_callbacks(execute=True):
        team_a.description = "Changed, but not the name"
        team_a.save()
    assert caches["kept"].get(kept.registered_parts()[0].key(person)) is not None


def test_other_pages_of_sessions_are_worked_out_on_each_visit(client_for, person, owner):
    SessionFactory.create_batch(21, service_user=person, duration_minutes=30)
    SessionFactory(service_user=person, duration_minutes=47, date=datetime.date(2001, 1, 1))
    client = client_for(owner)
    first = _main(client, person, "sessions")
    assert "47 min" not in first and "?page=2" in first
    assert "47 min" in client.get(_url(person, "sessions") + "?page=2").content.decode()
    assert _main(client, person, "sessions") == first
