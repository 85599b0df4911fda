"""Volume data (``seed_demo --people N``) and the benchmark commands."""

import io
import re

import pytest
from django.core.management import call_command

from accounts import demo as accounts_demo
from benchmarks import demo
from caseload.models import ServiceUser, Session
from caseload.services import service_user_refresh_contact_dates
from networks.models import Snapshot


@pytest.fixture
def demo_accounts(db):
    accounts_demo.seed(stdout=io.StringIO())


def test_volume_seed_tops_up_to_n_with_consistent_contact_dates(demo_accounts):
    out = io.StringIO()
    demo.seed(stdout=out, people=12, sessions_per_person=4)
    demo.seed(stdout=io.StringIO(), people=12, sessions_per_person=4)
    volume = ServiceUser.objects.filter(reference__startswith="VOL-")
    assert volume.count() == 12
    assert Session.objects.filter(service_user__in=volume).count() == 48
    assert volume.order_by().values("team").distinct().count() == 5
    assert "12 volume people" in out.getvalue()
    for person in volume:
        stored = (person.last_contact_on, person.next_contact_on)
        assert service_user_refresh_contact_dates(service_user=person) == stored
    demo.seed(stdout=io.StringIO(), people=15, sessions_per_person=4)
    assert volume.all().count() == 15


def test_volume_people_past_planning_get_a_map_a_baseline_and_a_review(demo_accounts):
    demo.seed(stdout=io.StringIO(), people=40, sessions_per_person=2)
    mapped = ServiceUser.objects.filter(
        reference__startswith="VOL-", stage__in=["plan", "connect", "review", "moving_on"]
    ).exclude(status="closed")
    assert mapped.exists()
    for person in mapped:
        assert person.network_members.exists()
        assert Snapshot.objects.filter(service_user=person, is_baseline=True).count() == 1
        assert person.goal_reviews.count() == 1
    earlier = ServiceUser.objects.filter(
        reference__startswith="VOL-", stage__in=["getting_started", "assess"]
    )
    assert not Snapshot.objects.filter(service_user__in=earlier).exists()


def test_bench_command_reports_each_page(demo_accounts, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("bench_caseload", people=20, sessions_per_person=2, runs=1, stdout=out)
    text = out.getvalue()
    assert "supervisor first page" in text and "median" in text
    assert "filtered: no contact" in text


def test_volume_seed_adds_audit_events_in_time_order_by_each_persons_worker(demo_accounts):
    from caseload.models import AuditEvent

    demo.seed(stdout=io.StringIO(), people=10, sessions_per_person=2, audit_per_person=30)
    events = AuditEvent.objects.filter(service_user__reference__startswith="VOL-")
    assert events.count() == 300
    by_id = list(events.order_by("pk").values_list("at", "actor_id", "service_user_id"))
    assert [at for at, _, _ in by_id] == sorted(at for at, _, _ in by_id)  # arrival order
    workers = dict(ServiceUser.objects.values_list("pk", "allocated_worker_id"))
    assert all(workers[person] == actor for _, actor, person in by_id)
    assert len({person for _, _, person in by_id}) == 10
    from accounts.models import AccessDeniedEvent

    assert AccessDeniedEvent.objects.filter(status=404).count() == 20  # 2 refusals a person
    demo.seed(stdout=io.StringIO(), people=10, sessions_per_person=2, audit_per_person=30)
    assert events.count() == 300  # a second run adds nothing
    assert AccessDeniedEvent.objects.count() == 20


def test_volume_sessions_loaded_in_bulk_read_back_like_any_other(demo_accounts):
    demo.seed(stdout=io.StringIO(), people=5, sessions_per_person=3, audit_per_person=0)
    session = Session.objects.filter(service_user__reference__startswith="VOL-").first()
    assert session.version == 1 and session.created_at is not None
    assert session.submission_token is None and session.what_we_did
    assert session.public_id is not None


def test_fidelity_bench_reports_the_computation_and_its_pages(demo_accounts, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("bench_fidelity", people=20, sessions_per_person=2, runs=1, stdout=out)
    text = out.getvalue()
    assert re.search(r"fidelity_for: \d+ people in team .* queries 1[23]\n", text)
    assert "agency report" in text and "board (with fidelity)" in text


@pytest.mark.slow
def test_fidelity_for_a_2000_person_team_takes_13_queries_and_reports_its_time(
    demo_accounts, settings, django_assert_num_queries
):
    """``make bench``: practice fidelity over a 2,000-person volume team."""
    import time

    from accounts.models import Team
    from benchmarks.volume import seed_volume, seed_volume_outcomes
    from workflow.fidelity import fidelity_for

    seed_volume(people=10_000, sessions_per_person=1)
    seed_volume_outcomes()
    people = ServiceUser.objects.filter(team=Team.objects.get(name="Volume team 1"))
    started = time.perf_counter()
    with django_assert_num_queries(13):
        found = fidelity_for(people)
    elapsed = time.perf_counter() - started
    print(f"fidelity_for: {len(found)} people in {elapsed * 1000:.0f} ms")
    assert len(found) == people.count() == 2000
