"""Facts about people that the workflow, journey, board and reminders need,
gathered for many people at once in one query: each app's selectors annotate
the people with their own figures (``with_goal_evidence``,
``with_network_evidence``, ``with_session_facts``, ``with_outcome_evidence``),
so the workflow reads no other app's models."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from caseload.selectors import (
    as_queryset,
    has_no_recent_contact,
    open_without_recent_contact_q,
    with_session_facts,
)
from caseload.stages import Stage
from goals.selectors import (
    annotated_review_due,
    review_due_rule,
    with_goal_evidence,
    with_goal_flags,
)
from networks.selectors import with_baseline_flag, with_network_evidence
from outcomes.selectors import with_measures_due, with_outcome_evidence
from safety.selectors import with_alert_flags


@dataclass
class PersonFacts:
    has_referral_date: bool = False
    has_referral_source: bool = False
    has_consent: bool = False
    has_session: bool = False
    has_connect_session: bool = False
    has_network_member: bool = False
    has_baseline: bool = False
    has_follow_up_snapshot: bool = False
    has_opportunity_link: bool = False
    has_goal_with_levels: bool = False
    goals_without_levels: int = 0
    has_step_done: bool = False
    has_review: bool = False
    has_follow_up_measure: bool = False
    measures_due: bool = False
    review_due: bool = False
    overdue_steps: int = 0
    has_ending_summary: bool = False
    has_closure: bool = False
    no_contact: bool = False

    def flags(self, stage):
        """Things needing attention for a person at ``stage``, as flag codes."""
        if stage == Stage.CLOSED:
            return []
        flags = []
        if self.no_contact:
            flags.append("no_contact")
        if self.review_due:
            flags.append("review_due")
        if self.goals_without_levels:
            flags.append("goals_without_levels")
        past_assess = STAGE_INDEX[stage] > STAGE_INDEX[Stage.ASSESS]
        if past_assess and not self.has_baseline:
            flags.append("no_baseline")
        if self.measures_due:
            flags.append("measures_due")
        return flags


STAGE_INDEX = {code: index for index, code in enumerate(Stage.values)}

FLAG_LABELS = {
    "no_contact": "No contact for {days}+ days",
    "review_due": "Goal review due",
    "goals_without_levels": "Goal levels not all described",
    "no_baseline": "No baseline network map",
    "measures_due": "Outcome measure due",
}


def flag_label(code):
    return FLAG_LABELS[code].format(days=settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"])


def no_contact_q():
    """Open cases with no contact for the configured number of days."""
    return open_without_recent_contact_q()


def gather_facts(service_users, *, evidence=True, flags=True):
    """PersonFacts for each person in ``service_users`` (a queryset or a list of
    people already access-checked), keyed by primary key."""
    rows = people_with_facts(service_users, evidence=evidence, flags=flags)
    return {person.pk: facts for person, facts in rows}


def people_with_facts(service_users, *, evidence=True, flags=True):
    """``[(person, PersonFacts), …]`` in ``service_users``' order, in one query
    whatever their number: each app annotates the people with its own figures.

    ``flags`` reads what the board's flags and the reminders need
    (``review_due``, ``goals_without_levels``, ``overdue_steps``,
    ``measures_due``), ``evidence``
    what the cycle's checks need; facts not read are left false. ``no_contact``
    and ``has_baseline`` are always read.
    """
    given = None
    if isinstance(service_users, QuerySet):
        people = service_users
    else:
        given = [person.pk for person in service_users]
        if not given:
            return []
        people = as_queryset(service_users)
    people = with_baseline_flag(people)
    if flags:
        people = with_measures_due(with_goal_flags(people), today=timezone.localdate())
        people = with_alert_flags(people)
    if evidence:
        people = with_session_facts(with_network_evidence(with_goal_evidence(people)))
        people = with_outcome_evidence(people)
    today = timezone.localdate()
    rule = review_due_rule()
    rows = [(person, _facts(person, evidence, flags, rule, today)) for person in people]
    if given is not None:
        order = {pk: index for index, pk in enumerate(given)}
        rows.sort(key=lambda row: order[row[0].pk])
    return rows


def _facts(person, evidence, flags, rule, today):
    facts = PersonFacts(
        has_baseline=person.has_baseline,
        no_contact=has_no_recent_contact(person, today),
    )
    if flags:
        facts.goals_without_levels = person.goals_without_levels
        facts.review_due = annotated_review_due(person, rule=rule)
        facts.overdue_steps = person.overdue_steps
        facts.measures_due = person.measures_due
    if evidence:
        facts.has_referral_date = person.referral_date is not None
        facts.has_referral_source = bool(person.referral_source)
        facts.has_consent = person.consent_to_take_part is True
        facts.has_session = person.has_contact_session
        facts.has_connect_session = person.has_connect_session
        facts.has_network_member = person.has_network_member
        facts.has_follow_up_snapshot = person.has_baseline and person.has_follow_up_snapshot
        facts.has_opportunity_link = person.has_member_opportunity or person.has_goal_opportunity
        facts.has_goal_with_levels = person.has_goal_with_levels
        facts.has_step_done = person.has_step_done
        facts.has_review = person.has_review
        facts.has_follow_up_measure = person.has_follow_up_measure
        facts.has_ending_summary = bool(person.ending_summary)
        facts.has_closure = bool(person.closed_on and person.closure_reason)
    return facts
