import pytest

from caseload.models import StageChange
from caseload.stages import Stage
from tests.caseload.factories import SessionFactory
from workflow.facts import PersonFacts
from workflow.rules import allowed_moves, evaluate, missing_evidence


def test_forward_moves_go_one_stage_on_and_back_one_to_correct():
    assert allowed_moves(Stage.REFERRAL) == [Stage.GETTING_STARTED]
    assert allowed_moves(Stage.GETTING_STARTED) == [Stage.ASSESS, Stage.REFERRAL]
    assert allowed_moves(Stage.PLAN) == [Stage.CONNECT, Stage.ASSESS]


def test_review_loops_back_to_planning_or_connecting():
    assert allowed_moves(Stage.REVIEW) == [Stage.MOVING_ON, Stage.PLAN, Stage.CONNECT]


def test_a_closed_case_cannot_move_until_reopened():
    assert allowed_moves(Stage.CLOSED) == []


def test_moving_on_is_the_last_stage_before_closure():
    assert allowed_moves(Stage.MOVING_ON) == [Stage.REVIEW]


def test_evidence_lists_what_is_missing():
    facts = PersonFacts(has_consent=True)
    assert [r.present for r in evaluate(Stage.GETTING_STARTED, facts)] == [True, False]
    assert missing_evidence(Stage.GETTING_STARTED, facts) == ["First session logged"]


def move_url(person):
    return f"/people/{person.public_id}/stage/"


def test_move_with_evidence_present_needs_no_reason(client, owner, person):
    person.consent_to_take_part = True
    person.save()
    SessionFactory(service_user=person)
    client.force_login(owner)
    response = client.post(move_url(person), {"to_stage": Stage.ASSESS})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.ASSESS
    change = StageChange.objects.get(service_user=person)
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.GETTING_STARTED,
        Stage.ASSESS,
        owner,
    )
    assert change.missing_evidence == []


def test_moving_on_with_missing_evidence_needs_a_reason(client, owner, person):
    client.force_login(owner)
    response = client.post(move_url(person), {"to_stage": Stage.ASSESS, "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "Say briefly why you are moving on anyway" in html
    person.refresh_from_db()
    assert person.stage == Stage.GETTING_STARTED
    assert not StageChange.objects.exists()


def test_reason_is_kept_with_the_missing_evidence_in_the_history(client, owner, person):
    client.force_login(owner)
    reason = "Met twice already; consent form is with the team admin."
    response = client.post(move_url(person), {"to_stage": Stage.ASSESS, "reason": reason})
    assert response.status_code == 302
    change = StageChange.objects.get(service_user=person)
    assert change.note == reason
    assert change.missing_evidence == ["Consent to take part recorded", "First session logged"]


@pytest.mark.parametrize("stage", ["moving_on", "closed", "nonsense", ""])
def test_moving_to_a_stage_not_allowed_from_here_is_a_field_error(client, owner, person, stage):
    client.force_login(owner)
    response = client.post(move_url(person), {"to_stage": stage, "reason": "because"})
    assert response.status_code == 200
    assert "Error:" in response.content.decode()
    person.refresh_from_db()
    assert person.stage == Stage.GETTING_STARTED


def test_a_closed_person_cannot_be_moved(client, supervisor, person):
    person.stage = Stage.CLOSED
    person.status = "closed"
    person.save()
    client.force_login(supervisor)
    response = client.post(move_url(person), {"to_stage": Stage.REVIEW, "reason": "x"})
    assert response.status_code == 200
    assert "must be reopened" in response.content.decode()
    person.refresh_from_db()
    assert person.stage == Stage.CLOSED


def test_move_page_and_journey_follow_the_access_rules(assert_person_access, person):
    assert_person_access(move_url(person))
    assert_person_access(f"/people/{person.public_id}/journey/")


def test_outsider_post_to_move_changes_nothing(client, other_worker, person):
    client.force_login(other_worker)
    response = client.post(move_url(person), {"to_stage": Stage.ASSESS, "reason": "x"})
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.stage == Stage.GETTING_STARTED


def test_journey_shows_moves_and_sessions_newest_first(client, owner, person):
    import datetime

    from django.utils import timezone

    SessionFactory(
        service_user=person,
        date=timezone.localdate() - datetime.timedelta(days=10),
        duration_minutes=45,
    )
    client.force_login(owner)
    client.post(move_url(person), {"to_stage": Stage.ASSESS, "reason": "Ready to map"})
    html = client.get(f"/people/{person.public_id}/journey/").content.decode()
    assert html.index("Moved to Exploring connections") < html.index("session (45 min)")
    filtered = client.get(f"/people/{person.public_id}/journey/?kind=session").content.decode()
    assert "Moved to Exploring connections" not in filtered
    assert "session (45 min)" in filtered


def _every_kind_of_event(person, owner, n):
    """``n`` more of each kind of event on the journey's timeline."""
    from django.utils import timezone

    from networks.services import snapshot_take
    from tests.goals.factories import GoalFactory, make_review
    from tests.toolkit.factories import ServiceFactory
    from workflow.models import ReferralStatus
    from workflow.referrals import referral_change_status, referral_suggest

    goal = GoalFactory(service_user=person)
    first = not person.network_snapshots.exists()
    for n_ in range(n):
        SessionFactory(service_user=person)
        StageChange.objects.create(
            service_user=person, from_stage=Stage.ASSESS, to_stage=Stage.PLAN, changed_by=owner
        )
        snapshot_take(
            service_user=person, by=owner, label=f"Map {n_}", is_baseline=first and n_ == 0
        )
        make_review(person, {goal: 1}, by=owner)
        referral, _created = referral_suggest(
            service_user=person, service=ServiceFactory(related=False), by=owner
        )
        referral_change_status(
            referral=referral,
            status=ReferralStatus.CONTACTED,
            on=timezone.localdate(),
            by=owner,
            expected_version=referral.version,
        )


def test_journey_runs_a_fixed_number_of_queries(
    client, owner, person, settings, django_assert_max_num_queries, django_assert_num_queries
):
    # Working it out: nothing kept (the kept journey: test_kept_journey.py).
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "KEPT_PARTS_SECONDS": 0}
    client.force_login(owner)
    _every_kind_of_event(person, owner, 1)
    # The page, its timeline (one query for each of the five kinds of event),
    # the cycle's checks and practice fidelity (one query each), the alert banner.
    with django_assert_max_num_queries(22) as small:
        client.get(f"/people/{person.public_id}/journey/")
    _every_kind_of_event(person, owner, 6)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(f"/people/{person.public_id}/journey/").content.decode()
    for shown in ("Moved to", "Network snapshot", "Goals reviewed", "contacted"):
        assert shown in html
