"""The journey as it first opens is kept while the person's records are
unchanged, is the same for everyone allowed to see it, and never shows a
change late."""

import datetime
import io
import re

from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from caseload.models import ServiceUser
from caseload.services import service_user_change_stage
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.toolkit.factories import ResourceFactory
from workflow import journey


def _journey(client, person, query=""):
    html = client.get(f"/people/{person.public_id}/journey/{query}").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _main(html):
    return html[html.index("<main") : html.index("</main>")]


def test_a_second_visit_reads_the_kept_journey_in_a_few_queries(
    client_for, owner, person, django_assert_max_num_queries
):
    client = client_for(owner)
    first = _journey(client, person)
    # What every signed-in page costs (8), the person through the access rules
    # (with their version), the audit event, the alert banner, the kept copy
    # and the toolkit's suggestions.
    with django_assert_max_num_queries(13) as kept:
        assert _main(_journey(client, person)) == _main(first)
    budget = len(kept.captured_queries)
    for _ in range(20):
        SessionFactory(service_user=person)
    _journey(client, person)
    with django_assert_max_num_queries(budget):
        _journey(client, person)


def test_any_change_to_the_person_shows_on_their_journey_at_once(client_for, owner, person):
    client = client_for(owner)
    assert "Moved to" not in _journey(client, person)
    service_user_change_stage(service_user=person, to_stage="assess", by=owner)
    assert "Moved to" in _journey(client, person)
    SessionFactory(service_user=person, duration_minutes=47)
    assert "(47 min)" in _journey(client, person)
    ServiceUser.objects.filter(pk=person.pk).update(preferred_name="Patricia")
    assert "Patricia’s journey" in _journey(client, person)


def test_everyone_who_may_see_the_journey_sees_the_same_and_no_one_else_does(
    client_for, owner, supervisor, other_worker, person
):
    SessionFactory(service_user=person, duration_minutes=47)
    mine = _journey(client_for(owner), person)
    assert "(47 min)" in mine
    assert _main(_journey(client_for(supervisor), person)) == _main(mine)
    refused = client_for(other_worker).get(f"/people/{person.public_id}/journey/")
    assert refused.status_code == 404


def test_the_toolkit_suggestions_are_read_on_each_visit(client_for, owner, person):
    client = client_for(owner)
    assert "No toolkit resources are tagged for this stage yet." in _journey(client, person)
    resource = ResourceFactory(title="Starting a conversation", status="published")
    resource.stage_tags.create(stage=person.stage)
    assert "Starting a conversation" in _journey(client, person)


def test_a_filtered_or_longer_timeline_is_worked_out_each_time(client_for, owner, person):
    client = client_for(owner)
    SessionFactory(service_user=person, duration_minutes=47)
    html = _journey(client, person, "?kind=stage")
    assert "(47 min)" not in html
    assert "(47 min)" in _journey(client, person, "?show=100")
    assert "(47 min)" in _journey(client, person)


def test_a_closed_case_is_worked_out_again_each_day(client_for, owner, team_a, monkeypatch):
    closed = ServiceUserFactory(team=team_a, allocated_worker=owner, stage="closed")
    ServiceUser.objects.filter(pk=closed.pk).update(
        status="closed", closed_on=timezone.localdate(), closure_reason="moved_on"
    )
    client = client_for(owner)
    _journey(client, closed)
    key = f"workflow:journey:{journey.FORMAT}:{closed.pk}"
    kept_today = caches["kept"].get(key)[0]
    later = timezone.localdate() + datetime.timedelta(days=400)
    monkeypatch.setattr(timezone, "localdate", lambda *args: later)
    _journey(client, closed)
    assert caches["kept"].get(key)[0] != kept_today


def test_keep_ahead_makes_the_journeys_and_boards_ready(owner, person, team_a, client_for):
    from tests.workflow.test_workflow import _every_kind_of_event

    _every_kind_of_event(person, owner, 2)
    out = io.StringIO()
    call_command("keep_ahead", stdout=out)
    key = f"workflow:journey:{journey.FORMAT}:{person.pk}"
    assert caches["kept"].get(key) is not None
    # Worked out for many at once, it is the journey a visit works out.
    kept = _main(_journey(client_for(owner), person))
    caches["kept"].clear()
    assert _main(_journey(client_for(owner), person)) == kept
    assert "1 journey" in out.getvalue() and "1 board" in out.getvalue()
    again = io.StringIO()
    call_command("keep_ahead", stdout=again)
    assert "0 journeys" in again.getvalue()  # nothing changed: nothing to work out


def test_erasing_a_person_drops_the_kept_copies_of_their_records(client_for, owner, person):
    from django.db import transaction

    from caseload import persondata

    _journey(client_for(owner), person)
    key = f"workflow:journey:{journey.FORMAT}:{person.pk}"
    assert caches["kept"].get(key) is not None
    with transaction.atomic():
        persondata.erase_person(person)
    assert caches["kept"].get(key) is None


def test_renaming_a_member_of_staff_shows_on_the_journey(
    client_for, owner, person, django_capture_on_commit_callbacks
):
    SessionFactory(service_user=person, author=owner)
    client = client_for(owner)
    assert f"Logged by {owner}" in _journey(client, person)
    with django_capture_on_commit_callbacks(execute=True):
        owner.first_name, owner.last_name = "Morwenna", "Trevithick"
        owner.save()
    assert "Logged by Morwenna Trevithick" in _journey(client, person)


def test_signing_in_keeps_the_kept_parts(
    client_for, owner, person, django_capture_on_commit_callbacks
):
    _journey(client_for(owner), person)
    with django_capture_on_commit_callbacks(execute=True):
        owner.save(update_fields=["last_login"])
        owner.save()  # nothing about the name changed
    assert caches["kept"].get(f"workflow:journey:{journey.FORMAT}:{person.pk}") is not None
