"""Demo data is idempotent and consistent."""

import io

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from caseload import demo
from caseload.models import ServiceUser, Session
from caseload.services import service_user_refresh_contact_dates


@pytest.fixture
def demo_accounts(db):
    accounts_demo.seed(stdout=io.StringIO())


def test_demo_seed_is_idempotent_and_spread_over_the_demo_teams(demo_accounts):
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    people = ServiceUser.objects.filter(reference__startswith="DEMO-")
    assert people.count() == 30
    assert set(people.values_list("team__name", flat=True)) == {
        "North Community Team",
        "South Community Team",
    }
    assert Session.objects.count() > 100
    assert people.filter(status="closed").exists()
    for person in people.filter(stage="connect")[:3]:
        assert person.stage_changes.count() >= 5  # referral → … → connect
        assert person.allocations.exists()
    assert people.exclude(status="closed").filter(next_contact_on__isnull=False).count() >= 10
    for person in people:
        moves = list(person.stage_changes.order_by("changed_at", "id"))
        assert moves[0].to_stage == "referral" and moves[-1].to_stage == person.stage
        for session in person.sessions.all():
            assert person.referral_date <= session.date <= timezone.localdate()
            started = [m for m in moves if m.to_stage == session.stage][0]
            assert started.changed_at.date() <= session.date  # worked on after it began
        stored = (person.last_contact_on, person.next_contact_on)
        assert service_user_refresh_contact_dates(service_user=person) == stored
