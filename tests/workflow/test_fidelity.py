"""Practice fidelity from the records: hand-built people with known components."""

import datetime

import pytest
from django.utils import timezone

from caseload.models import ServiceUser, StageChange
from caseload.stages import Stage
from goals.models import SessionGoal, StepWho
from networks.services import snapshot_take
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory
from tests.outcomes.factories import load, make_result
from tests.toolkit.factories import ServiceFactory
from workflow.fidelity import HIGH, LOW, distribution, fidelity_for, person_fidelity
from workflow.models import Referral


def results(person):
    fidelity = person_fidelity(ServiceUser.objects.get(pk=person.pk))
    return {result.code: result for result in fidelity.results}, fidelity


def at(team, worker, stage, **kwargs):
    return ServiceUserFactory(team=team, allocated_worker=worker, stage=stage, **kwargs)


def test_nothing_is_due_before_planning(team_a, owner):
    person = at(team_a, owner, Stage.ASSESS)
    components, fidelity = results(person)
    assert not any(result.due for result in components.values())
    assert fidelity.score is None and fidelity.band is None


def test_baseline_map_present_and_absent(team_a, owner):
    person = at(team_a, owner, Stage.PLAN)
    components, fidelity = results(person)
    assert components["baseline_map"].due and not components["baseline_map"].present
    assert fidelity.due_count == 1 and fidelity.score == 0
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    components, fidelity = results(person)
    assert components["baseline_map"].present
    assert fidelity.score == 1 and fidelity.band == HIGH


def test_goals_in_words_need_all_five_levels(team_a, owner):
    person = at(team_a, owner, Stage.CONNECT)
    GoalFactory(service_user=person, level_plus_2="")
    components, _ = results(person)
    assert components["goals_in_words"].due and not components["goals_in_words"].present
    GoalFactory(service_user=person)
    components, _ = results(person)
    assert components["goals_in_words"].present


def test_goals_are_not_due_while_planning(team_a, owner):
    person = at(team_a, owner, Stage.PLAN)
    components, _ = results(person)
    assert not components["goals_in_words"].due


def test_opportunity_tried_absent_then_present_through_a_map_member(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    components, _ = results(person)
    assert components["opportunity_tried"].due and not components["opportunity_tried"].present
    NetworkMemberFactory(service_user=person, opportunity=ServiceFactory(related=False))
    components, _ = results(person)
    assert components["opportunity_tried"].present
    assert components["opportunity_tried"].evidence[0][1] == "networks:member_edit"


def test_opportunity_tried_through_a_goal(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    goal = GoalFactory(service_user=person)
    goal.opportunities.add(ServiceFactory(related=False))
    components, _ = results(person)
    assert components["opportunity_tried"].present


def test_opportunity_tried_through_a_session_about_one(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    goal = GoalFactory(service_user=person)
    session = SessionFactory(service_user=person)
    SessionGoal.objects.create(session=session, goal=goal)
    components, _ = results(person)
    assert not components["opportunity_tried"].present  # the goal involves no opportunity yet
    goal.opportunities.add(ServiceFactory(related=False))
    components, _ = results(person)
    labels = [label for label, *_ in components["opportunity_tried"].evidence]
    assert "A session about an opportunity" in labels


def test_opportunity_tried_through_a_suggestion_tried(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    referral = Referral.objects.create(service_user=person, service=ServiceFactory(related=False))
    components, _ = results(person)
    assert not components["opportunity_tried"].present  # suggested is not tried
    referral.tried_on = timezone.localdate()
    referral.save()
    components, _ = results(person)
    assert components["opportunity_tried"].evidence[0][1] == "workflow:referral"


def test_both_partners_need_a_step_each(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    goal = GoalFactory(service_user=person)
    StepFactory(goal=goal, who=StepWho.PERSON)
    StepFactory(goal=goal, who=StepWho.OTHER)
    components, _ = results(person)
    assert components["both_partners"].due and not components["both_partners"].present
    StepFactory(goal=goal, who=StepWho.WORKER)
    components, _ = results(person)
    assert components["both_partners"].present


def test_review_with_remap_needs_a_review_and_a_snapshot_after_the_baseline(team_a, owner):
    person = at(team_a, owner, Stage.MOVING_ON)
    goal = GoalFactory(service_user=person)
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    make_review(person, {goal: 0})
    components, _ = results(person)
    assert components["review_remap"].due and not components["review_remap"].present
    snapshot_take(service_user=person, by=owner, label="Review 1")
    components, _ = results(person)
    assert components["review_remap"].present
    urls = [name for _label, name, *_ in components["review_remap"].evidence]
    assert urls == ["goals:review", "networks:compare"]


def test_review_is_not_due_while_reviewing(team_a, owner):
    person = at(team_a, owner, Stage.REVIEW)
    components, _ = results(person)
    assert not components["review_remap"].due


@pytest.fixture
def fictional_instrument(db):
    return load()


def test_follow_up_measure_due_only_with_outcome_measures(team_a, owner, fictional_instrument):
    person = at(team_a, owner, Stage.MOVING_ON)
    components, _ = results(person)
    assert not components["follow_up_measure"].due  # no measures at all
    answers = {f"q{n}": 1 for n in range(1, 6)}
    make_result(person, fictional_instrument.code, answers, timepoint="baseline", days_ago=60)
    components, _ = results(person)
    assert components["follow_up_measure"].due and not components["follow_up_measure"].present
    make_result(person, fictional_instrument.code, answers)
    components, _ = results(person)
    assert components["follow_up_measure"].present


def test_moving_on_plan_is_due_on_closing(team_a, owner):
    person = at(team_a, owner, Stage.MOVING_ON, ending_summary="")
    components, _ = results(person)
    assert not components["moving_on_plan"].due
    ServiceUser.objects.filter(pk=person.pk).update(
        stage=Stage.CLOSED, status="closed", closed_on=timezone.localdate()
    )
    StageChange.objects.create(
        service_user=person, from_stage="review", to_stage="moving_on", changed_by=owner
    )
    components, fidelity = results(person)
    assert components["moving_on_plan"].due and not components["moving_on_plan"].present
    ServiceUser.objects.filter(pk=person.pk).update(ending_summary="Going to the group alone.")
    components, _ = results(person)
    assert components["moving_on_plan"].present


def test_a_case_closed_early_is_judged_by_how_far_it_got(team_a, owner):
    person = at(team_a, owner, Stage.CLOSED, status="closed", closed_on=timezone.localdate())
    StageChange.objects.create(
        service_user=person, from_stage="getting_started", to_stage="assess", changed_by=owner
    )
    components, fidelity = results(person)
    due = sorted(code for code, result in components.items() if result.due)
    # Reached "exploring connections", so only the baseline map and the ending are due.
    assert due == ["baseline_map", "moving_on_plan"]


def test_a_case_closed_long_ago_is_not_counted(team_a, owner):
    person = at(
        team_a,
        owner,
        Stage.CLOSED,
        status="closed",
        closed_on=timezone.localdate() - datetime.timedelta(days=800),
    )
    assert person_fidelity(person) is None


def test_fidelity_is_the_share_of_due_components_present_and_banded(team_a, owner, settings):
    person = at(team_a, owner, Stage.MOVING_ON)
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=owner, label="Baseline", is_baseline=True)
    GoalFactory(service_user=person)
    _components, fidelity = results(person)
    # Due: baseline, goals, opportunity, both partners, review: 2 of 5 present.
    assert (fidelity.present_count, fidelity.due_count) == (2, 5)
    assert fidelity.percent == 40 and fidelity.band == LOW
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "FIDELITY_HIGH_THRESHOLD": 0.4}
    assert fidelity.band == HIGH


def _full_person(team, worker, stage=Stage.MOVING_ON):
    person = at(team, worker, stage)
    goal = GoalFactory(service_user=person)
    goal.opportunities.add(ServiceFactory(related=False))
    StepFactory(goal=goal, who=StepWho.PERSON)
    StepFactory(goal=goal, who=StepWho.WORKER)
    NetworkMemberFactory(service_user=person)
    snapshot_take(service_user=person, by=worker, label="Baseline", is_baseline=True)
    make_review(person, {goal: 1})
    snapshot_take(service_user=person, by=worker, label="Review")
    session = SessionFactory(service_user=person)
    SessionGoal.objects.create(session=session, goal=goal)
    Referral.objects.create(
        service_user=person, service=ServiceFactory(related=False), tried_on=timezone.localdate()
    )
    return person


def test_fidelity_for_a_team_takes_the_same_queries_at_two_sizes(
    team_a, owner, django_assert_num_queries
):
    for _ in range(2):
        _full_person(team_a, owner)
    at(team_a, owner, Stage.PLAN)
    at(team_a, owner, Stage.CLOSED, status="closed", closed_on=timezone.localdate())
    people = ServiceUser.objects.filter(team=team_a)
    # The people, the closed ones' stage history, and 11 grouped queries of evidence.
    with django_assert_num_queries(13) as small:
        assert len(fidelity_for(people)) == 4
    for _ in range(8):
        _full_person(team_a, owner)
        at(team_a, owner, Stage.CONNECT)
    with django_assert_num_queries(len(small.captured_queries)):
        found = fidelity_for(people)
    assert len(found) == 20
    assert distribution(found.values()).high == 10


def test_a_few_people_in_one_query_get_the_same_fidelity_and_evidence_as_a_team(
    team_a, owner, django_assert_num_queries
):
    for stage in (Stage.MOVING_ON, Stage.CONNECT, Stage.REVIEW):
        _full_person(team_a, owner, stage)
        at(team_a, owner, stage)
    at(team_a, owner, Stage.CLOSED, status="closed", closed_on=timezone.localdate())
    people = ServiceUser.objects.filter(team=team_a)
    grouped = fidelity_for(people)  # a team: one grouped query per source
    with django_assert_num_queries(2):  # the people with their evidence; the closed one's stages
        few = fidelity_for(people, few=True)
    assert len(grouped) == 7
    assert {pk: (f.due_flags, f.present_flags) for pk, f in grouped.items()} == {
        pk: (f.due_flags, f.present_flags) for pk, f in few.items()
    }
    assert any(all(f.present_flags[:5]) for f in few.values())  # evidence was found

    def evidence(found):
        return {pk: [r.evidence for r in f.results] for pk, f in found.items()}

    assert evidence(grouped) == evidence(few)


def test_without_closed_cases_the_stage_history_is_not_read(
    team_a, owner, django_assert_num_queries
):
    _full_person(team_a, owner)
    with django_assert_num_queries(12):
        fidelity_for(ServiceUser.objects.filter(team=team_a))


def test_distribution_by_worker(team_a, owner, colleague):
    _full_person(team_a, owner)
    at(team_a, colleague, Stage.CONNECT)
    at(team_a, colleague, Stage.ASSESS)
    found = fidelity_for(ServiceUser.objects.filter(team=team_a))
    by_worker = distribution(found.values(), key=lambda f: f.worker_id)
    assert (by_worker[owner.pk].high, by_worker[owner.pk].low) == (1, 0)
    assert (by_worker[colleague.pk].low, by_worker[colleague.pk].not_yet) == (1, 1)
