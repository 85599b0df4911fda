import io

from caseload.stages import Stage
from networks import demo
from networks.models import NetworkMember, Snapshot
from tests.accounts.factories import TeamFactory, make_worker
from tests.caseload.factories import ServiceUserFactory


def test_demo_gives_varied_maps_with_growth_and_is_safe_to_run_twice(db, team_b):
    north = TeamFactory(name="North Community Team")
    worker = make_worker(north, username="worker.demo")
    stages = [Stage.REVIEW, Stage.REVIEW, Stage.REVIEW, Stage.PLAN, Stage.ASSESS, Stage.REFERRAL]
    people = [ServiceUserFactory(team=north, allocated_worker=worker, stage=s) for s in stages]
    elsewhere = ServiceUserFactory(
        team=team_b, allocated_worker=make_worker(team_b), stage=Stage.REVIEW
    )

    demo.seed(stdout=io.StringIO())

    sparse, family, diverse, planning, assessing, referred = people
    assert set(sparse.network_members.values_list("sector", flat=True)) >= {"services"}
    assert family.network_members.filter(sector__in=["family", "household"]).count() >= 4
    assert diverse.network_members.values("sector").distinct().count() >= 5
    for someone in (sparse, family, diverse):
        baseline = Snapshot.objects.get(service_user=someone, is_baseline=True)
        review = Snapshot.objects.get(service_user=someone, is_baseline=False)
        assert review.taken_at > baseline.taken_at
        assert review.metrics["size"] > baseline.metrics["size"]
        assert review.metrics["new_since_baseline"] > 0
    assert Snapshot.objects.filter(service_user=planning).count() == 1
    assert (
        assessing.network_members.exists()
        and not Snapshot.objects.filter(service_user=assessing).exists()
    )
    assert not referred.network_members.exists()
    assert not elsewhere.network_members.exists()

    counts = (NetworkMember.objects.count(), Snapshot.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (NetworkMember.objects.count(), Snapshot.objects.count()) == counts


def test_demo_without_demo_people_does_nothing(db):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "no demo people" in out.getvalue()
    assert not NetworkMember.objects.exists()
