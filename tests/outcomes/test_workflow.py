"""Outcome measures in the cycle: due measures on the board and in the reminders,
the review stage's follow-up evidence, and reads for many people at once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from caseload.models import StageChange
from caseload.stages import Stage
from outcomes import schedule
from outcomes.models import Instrument
from outcomes.selectors import (
    latest_result_dates,
    people_with_result_since,
    person_outcomes,
    with_measures_due,
)
from tests.caseload.factories import ServiceUserFactory
from tests.outcomes.factories import make_result, ucla
from workflow.facts import gather_facts
from workflow.reminders import send_digests

ONS = {"life_satisfaction": 5, "worthwhile": 5, "happiness": 5, "anxiety": 5}


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def facts_for(person):
    return gather_facts([person])[person.pk]


def test_a_measure_is_due_six_months_after_the_last_result(person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=150)
    assert not facts_for(person).measures_due
    make_result(person, "ons4", ONS, timepoint="baseline", days_ago=200)
    facts = facts_for(person)
    assert facts.measures_due
    assert "measures_due" in facts.flags(person.stage)
    make_result(person, "ons4", ONS, days_ago=1)
    assert not facts_for(person).measures_due


def test_the_interval_is_a_setting_of_each_instrument(person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=70)
    assert not facts_for(person).measures_due
    Instrument.objects.filter(code="ucla3").update(follow_up_months=2)
    assert facts_for(person).measures_due


def test_no_measure_is_due_after_moving_on_or_for_an_instrument_no_longer_offered(person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=400)
    make_result(person, "ons4", ONS, timepoint="baseline", days_ago=400)
    make_result(person, "ucla3", ucla(2, 2, 2), timepoint="moving_on", days_ago=300)
    assert facts_for(person).measures_due  # ONS4 still
    Instrument.objects.filter(code="ons4").update(active=False)
    assert not facts_for(person).measures_due


def test_nobody_measured_has_nothing_due(person):
    assert not facts_for(person).measures_due


@pytest.mark.parametrize("months", [1, 2, 6, 12])
def test_the_board_query_and_the_person_page_agree_on_what_is_due(team_a, owner, months):
    """Around the ends of months (31 August + 6 months is 28 February) both read
    the one rule in outcomes.schedule."""
    Instrument.objects.filter(code="ucla3").update(follow_up_months=months)
    today = datetime.date(2027, 2, 28)
    people = []
    for offset in range(-4, 5):
        last_on = schedule.add_months(today, -months) + datetime.timedelta(days=offset)
        person = ServiceUserFactory(team=team_a, allocated_worker=owner)
        result = make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline")
        type(result).objects.filter(pk=result.pk).update(completed_on=last_on)
        people.append((person, last_on))
    annotated = {
        p.pk: p.measures_due
        for p in with_measures_due(type(people[0][0]).objects.all(), today=today)
    }
    for person, last_on in people:
        expected = schedule.is_due(last_on, months, today)
        assert annotated[person.pk] is expected, (last_on, months)
        history = person_outcomes(person, today=today)[0]
        assert (history.due is not None) is expected, (last_on, months)


def test_the_board_flags_a_measure_due_with_a_link_to_record_it(client_for, owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=200)
    html = client_for(owner).get("/board/").content.decode()
    assert "Outcome measure due" in html
    assert f"/people/{person.public_id}/outcomes/" in html
    filtered = client_for(owner).get("/board/?flag=measures_due").content.decode()
    assert person.preferred_name in filtered


def test_the_reminder_digest_lists_measures_due_by_initials(owner, person):
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=200)
    from caseload.models import ServiceUser

    ServiceUser.objects.filter(pk=person.pk).update(last_contact_on=timezone.localdate())
    sent, _already, _empty = send_digests(base_url="https://cp.example.org")
    assert sent == 1
    body = mail.outbox[0].body
    assert "Outcome measure due:" in body
    assert f"- P. https://cp.example.org/people/{person.public_id}/outcomes/" in body
    assert person.preferred_name not in body


def test_review_evidence_is_met_by_a_follow_up_since_the_last_review(person, owner):
    assert not facts_for(person).has_follow_up_measure
    make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=100)
    assert not facts_for(person).has_follow_up_measure  # a baseline is no follow-up
    make_result(person, "ucla3", ucla(2, 2, 2), timepoint="follow_up", days_ago=30)
    assert facts_for(person).has_follow_up_measure
    # A review ended 10 days ago: that follow-up was for it, not for the next one.
    StageChange.objects.create(
        service_user=person,
        from_stage=Stage.REVIEW,
        to_stage=Stage.CONNECT,
        changed_by=owner,
        changed_at=timezone.now() - datetime.timedelta(days=10),
    )
    assert not facts_for(person).has_follow_up_measure
    make_result(person, "ucla3", ucla(1, 2, 2), timepoint="review", days_ago=0)
    assert facts_for(person).has_follow_up_measure


def test_the_journey_checklist_shows_the_follow_up_evidence(client_for, owner, person):
    type(person).objects.filter(pk=person.pk).update(stage=Stage.REVIEW)
    html = client_for(owner).get(f"/people/{person.public_id}/journey/").content.decode()
    assert "Follow-up measures recorded since the last review" in html
    assert f"/people/{person.public_id}/outcomes/" in html


def test_people_with_result_since_takes_one_query_for_many_people(
    team_a, owner, django_assert_num_queries
):
    people = [ServiceUserFactory(team=team_a, allocated_worker=owner) for _ in range(6)]
    for person in people[:4]:
        make_result(person, "ucla3", ucla(3, 3, 3), timepoint="baseline", days_ago=100)
    make_result(people[0], "ucla3", ucla(2, 2, 2), days_ago=50)
    make_result(people[1], "ucla3", ucla(2, 2, 2), days_ago=5)
    ids = [p.pk for p in people]
    queryset = type(people[0]).objects.filter(pk__in=ids)
    with django_assert_num_queries(1):
        assert people_with_result_since(queryset, days_ago(60)) == {people[0].pk, people[1].pk}
    with django_assert_num_queries(1):
        assert people_with_result_since(ids, days_ago(10)) == {people[1].pk}
    since = {people[0].pk: days_ago(40), people[1].pk: days_ago(40), people[2].pk: None}
    with django_assert_num_queries(1):
        assert people_with_result_since(people, since) == {people[1].pk}
    assert people_with_result_since(ids, follow_up_only=False) == {p.pk for p in people[:4]}
    with django_assert_num_queries(1):
        latest = latest_result_dates(queryset)
    assert latest[people[1].pk] == days_ago(5) and people[5].pk not in latest
