"""Evidence and flags computed from the networks and goals apps' data."""

import datetime

from django.utils import timezone

from caseload.models import StageChange
from caseload.services import service_user_change_stage
from networks.models import Snapshot
from networks.services import snapshot_take
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory
from workflow.facts import gather_facts


def facts_for(person):
    return gather_facts([person])[person.pk]


def test_a_map_entry_and_a_baseline_satisfy_exploring_connections(person, owner):
    assert not facts_for(person).has_network_member
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    facts = facts_for(person)
    assert facts.has_network_member and facts.has_baseline
    assert not facts.has_follow_up_snapshot
    snapshot_take(service_user=person, by=owner, label="Review 1")
    assert facts_for(person).has_follow_up_snapshot


def test_leaving_exploring_connections_takes_an_automatic_baseline(person, owner):
    NetworkMemberFactory(service_user=person)
    service_user_change_stage(service_user=person, to_stage="assess", by=owner)
    service_user_change_stage(service_user=person, to_stage="plan", by=owner)
    baseline = Snapshot.objects.get(service_user=person)
    assert baseline.is_baseline and baseline.member_count == 1
    assert facts_for(person).has_baseline


def test_goal_evidence_and_flags(person, owner):
    goal = GoalFactory(service_user=person, level_plus_2="")
    facts = facts_for(person)
    assert not facts.has_goal_with_levels  # all five levels must be described
    assert facts.goals_without_levels == 1
    GoalFactory(service_user=person)
    facts = facts_for(person)
    assert facts.has_goal_with_levels
    assert facts.goals_without_levels == 1
    assert not facts.has_step_done and not facts.has_review
    StepFactory(goal=goal, done_on=timezone.localdate())
    StepFactory(goal=goal, due_on=timezone.localdate() - datetime.timedelta(days=3))
    make_review(person, {goal: 1})
    facts = facts_for(person)
    assert facts.has_step_done and facts.has_review and facts.overdue_steps == 1


def test_an_opportunity_linked_in_the_map_counts_as_connecting_evidence(person):
    from toolkit.models import Organization, Service

    service = Service.objects.create(
        organization=Organization.objects.create(name="Riverside Trust"), name="Walking group"
    )
    assert not facts_for(person).has_opportunity_link
    NetworkMemberFactory(service_user=person, opportunity=service, kind="group")
    assert facts_for(person).has_opportunity_link


def test_review_due_flag_appears_on_the_board_with_a_link_to_review(client, owner, person):
    goal = GoalFactory(
        service_user=person, set_on=timezone.localdate() - datetime.timedelta(weeks=12)
    )
    make_review(person, {goal: 0}, days_ago=9 * 7)
    client.force_login(owner)
    html = client.get("/board/?flag=review_due").content.decode()
    assert "Goal review due" in html
    assert f"/people/{person.public_id}/goals/reviews/new/" in html


def test_journey_timeline_merges_snapshots_and_reviews(client, owner, person):
    goal = GoalFactory(service_user=person)
    make_review(
        person, {goal: 1, GoalFactory(service_user=person): 1, GoalFactory(service_user=person): 1}
    )
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    client.force_login(owner)
    html = client.get(f"/people/{person.public_id}/journey/").content.decode()
    assert "Goals reviewed (T-score 63.69)" in html
    assert "Baseline snapshot: Baseline" in html
    only_reviews = client.get(f"/people/{person.public_id}/journey/?kind=review").content.decode()
    assert "Baseline snapshot" not in only_reviews and "T-score 63.69" in only_reviews


def test_board_and_journey_queries_do_not_grow_with_network_and_goals(
    client, owner, person, team_a, django_assert_max_num_queries
):
    from tests.caseload.factories import ServiceUserFactory

    def add_people(n):
        for _ in range(n):
            someone = ServiceUserFactory(team=team_a, allocated_worker=owner, stage="plan")
            NetworkMemberFactory(service_user=someone)
            GoalFactory(service_user=someone)

    client.force_login(owner)
    add_people(2)
    with django_assert_max_num_queries(40) as small:
        client.get("/board/")
    add_people(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/board/")
    assert StageChange.objects.count() == 0


def test_dashboard_counts_network_growth_t_scores_and_achievements(
    client, supervisor, owner, team_a
):
    from goals.models import GoalStatus
    from tests.caseload.factories import ServiceUserFactory

    grower = ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Zephyrine", stage="review"
    )
    NetworkMemberFactory(service_user=grower)
    snapshot_take(service_user=grower, by=owner, label="Baseline", is_baseline=True)
    NetworkMemberFactory(service_user=grower)
    NetworkMemberFactory(service_user=grower)
    steady = ServiceUserFactory(
        team=team_a, allocated_worker=owner, preferred_name="Quillon", stage="review"
    )
    NetworkMemberFactory(service_user=steady)
    snapshot_take(service_user=steady, by=owner, label="Baseline", is_baseline=True)
    goals = [GoalFactory(service_user=grower) for _ in range(3)]
    make_review(grower, dict.fromkeys(goals, 1))  # 63.69
    make_review(steady, {GoalFactory(service_user=steady): -1})  # 40.00
    GoalFactory(service_user=steady, status=GoalStatus.ACHIEVED)
    client.force_login(supervisor)
    outcomes = client.get("/dashboard/").context["outcomes"]
    assert outcomes["with_baseline"] == 2 and outcomes["grew"] == 1
    assert outcomes["median_change"] == 1.0  # changes +2 and 0
    assert outcomes["reviewed"] == 2
    assert (
        outcomes["median_t_score"] == round((63.69 + 40.0) / 2, 2)
        or abs(outcomes["median_t_score"] - 51.85) < 0.01
    )
    assert outcomes["goals_achieved"] == 1
    drill = client.get(f"/dashboard/people/?team={team_a.public_id}&flag=grew").content.decode()
    assert "Zephyrine" in drill and "Quillon" not in drill
    assert "whose network grew since the baseline" in drill


def test_dashboard_counts_overdue_reviews_per_worker(client, supervisor, owner, person):
    goal = GoalFactory(
        service_user=person, set_on=timezone.localdate() - datetime.timedelta(weeks=10)
    )
    client.force_login(supervisor)
    rows = {r.worker.username: r for r in client.get("/dashboard/").context["workers"]}
    assert rows["owner"].overdue_reviews == 1
    make_review(person, {goal: 0})
    rows = {r.worker.username: r for r in client.get("/dashboard/").context["workers"]}
    assert rows["owner"].overdue_reviews == 0


def test_journey_suggests_published_toolkit_resources_for_the_stage(client, owner, person):
    from toolkit.models import Resource, ResourceStage

    published = Resource.objects.create(title="First meetings: a checklist", status="published")
    ResourceStage.objects.create(resource=published, stage="getting_started")
    draft = Resource.objects.create(title="Unfinished draft guide", status="draft")
    ResourceStage.objects.create(resource=draft, stage="getting_started")
    client.force_login(owner)
    html = client.get(f"/people/{person.public_id}/journey/").content.decode()
    assert "First meetings: a checklist" in html
    assert "Unfinished draft guide" not in html


def _evidence_everywhere(person, owner):
    """A person with some of every kind of evidence, and a baseline."""
    goal = GoalFactory(service_user=person)
    StepFactory(goal=goal, done_on=timezone.localdate())
    make_review(person, {goal: 1})
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    snapshot_take(service_user=person, by=owner, label="Review 1")


def test_evidence_read_for_some_stages_agrees_with_the_whole_read(person, owner):
    from workflow.facts import evidence_for_stages
    from workflow.rules import EVIDENCE

    _evidence_everywhere(person, owner)
    whole = facts_for(person)
    for stage, checks in EVIDENCE.items():
        wanted = evidence_for_stages([stage, None])
        assert wanted == {check.fact for check in checks}
        some = gather_facts([person], evidence=wanted)[person.pk]
        for check in checks:
            assert getattr(some, check.fact) == getattr(whole, check.fact), (stage, check.fact)


def test_evidence_not_asked_for_is_not_read(person, owner, django_assert_num_queries):
    _evidence_everywhere(person, owner)
    assert facts_for(person).has_review and facts_for(person).has_network_member
    some = gather_facts([person], evidence={"has_review"}, flags=False)[person.pk]
    assert some.has_review and not some.has_network_member and not some.has_step_done
    with django_assert_num_queries(1) as read:
        gather_facts([person], evidence={"has_review"}, flags=False)
    assert "networks_networkmember" not in read.captured_queries[0]["sql"]


def test_an_unknown_fact_is_an_error_rather_than_always_false(person):
    import pytest

    with pytest.raises(ValueError, match="has_reveiw"):
        gather_facts([person], evidence={"has_reveiw"})
