"""Demo data for safety: two alerts and one group session, once."""

import io

from caseload.models import GroupSession, Session
from safety import demo
from safety.models import RiskAlert, TeamSafetySettings
from tests.accounts.factories import TeamFactory, make_supervisor, make_worker
from tests.caseload.factories import ServiceUserFactory


def test_seed_adds_alerts_and_a_group_session_once(db):
    north = TeamFactory(name="North Community Team")
    amira = make_worker(north, username="worker.amira")
    make_supervisor(north, username="supervisor.dev")
    for n in range(4):
        ServiceUserFactory(team=north, allocated_worker=amira, reference=f"DEMO-00{n}")
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assert RiskAlert.objects.count() == 2
    assert GroupSession.objects.count() == 1
    assert Session.objects.filter(group__isnull=False).count() == 3
    assert TeamSafetySettings.objects.get(team=north).check_ins_enabled
    amira.refresh_from_db()
    assert amira.phone == "07700 900 101"


def test_seed_without_the_demo_team_adds_nothing(db):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not RiskAlert.objects.exists()
