"""Facts about people that the workflow, journey, board and reminders need,
gathered for many people at once in one query: each app's selectors annotate
the people with their own figures (``with_goal_evidence``,
``with_network_evidence``, ``with_session_facts``, ``with_outcome_evidence``),
so the workflow reads no other app's models."""

from dataclasses import dataclass, field

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

from .rules import EVIDENCE


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


def _outcome_evidence(people, *, only):
    return with_outcome_evidence(people)


# The apps' evidence annotators, each taking ``only=`` the annotations wanted.
_ANNOTATORS = {
    "sessions": with_session_facts,
    "networks": with_network_evidence,
    "goals": with_goal_evidence,
    "outcomes": _outcome_evidence,
}


@dataclass(frozen=True)
class EvidenceFact:
    """How an evidence fact is worked out from a person row (``work_out``) and
    the annotations that row needs, by app (``reads``; none for the person's
    own fields)."""

    work_out: object
    reads: dict = field(default_factory=dict)


EVIDENCE_FACTS = {
    "has_referral_date": EvidenceFact(lambda person: person.referral_date is not None),
    "has_referral_source": EvidenceFact(lambda person: bool(person.referral_source)),
    "has_consent": EvidenceFact(lambda person: person.consent_to_take_part is True),
    "has_session": EvidenceFact(
        lambda person: person.has_contact_session, {"sessions": ["has_contact_session"]}
    ),
    "has_connect_session": EvidenceFact(
        lambda person: person.has_connect_session, {"sessions": ["has_connect_session"]}
    ),
    "has_network_member": EvidenceFact(
        lambda person: person.has_network_member, {"networks": ["has_network_member"]}
    ),
    # Always read (with_baseline_flag), for the flags as well as the checks.
    "has_baseline": EvidenceFact(lambda person: person.has_baseline),
    "has_follow_up_snapshot": EvidenceFact(
        lambda person: person.has_baseline and person.has_follow_up_snapshot,
        {"networks": ["has_follow_up_snapshot"]},
    ),
    "has_opportunity_link": EvidenceFact(
        lambda person: person.has_member_opportunity or person.has_goal_opportunity,
        {"networks": ["has_member_opportunity"], "goals": ["has_goal_opportunity"]},
    ),
    "has_goal_with_levels": EvidenceFact(
        lambda person: person.has_goal_with_levels, {"goals": ["has_goal_with_levels"]}
    ),
    "has_step_done": EvidenceFact(
        lambda person: person.has_step_done, {"goals": ["has_step_done"]}
    ),
    "has_review": EvidenceFact(lambda person: person.has_review, {"goals": ["has_review"]}),
    "has_follow_up_measure": EvidenceFact(
        lambda person: person.has_follow_up_measure, {"outcomes": ["has_follow_up_measure"]}
    ),
    "has_ending_summary": EvidenceFact(lambda person: bool(person.ending_summary)),
    "has_closure": EvidenceFact(lambda person: bool(person.closed_on and person.closure_reason)),
}


def evidence_for_stages(stages):
    """The evidence facts the checks of ``stages`` read (stages that are None are
    left out): what a page showing those stages' checklists needs."""
    return {check.fact for stage in stages if stage for check in EVIDENCE[stage]}


def facts_for_checks(service_user, *stages):
    """One person's facts (already access-checked) with the evidence of only the
    checks of ``stages``: for the journey's and the stage move's checklists."""
    wanted = evidence_for_stages(stages)
    return gather_facts([service_user], evidence=wanted, flags=False)[service_user.pk]


def _with_evidence(people, wanted):
    """``people`` annotated with what the evidence facts ``wanted`` read."""
    reads = {}
    for fact in wanted:
        for app, names in EVIDENCE_FACTS[fact].reads.items():
            reads.setdefault(app, []).extend(names)
    for app, annotate in _ANNOTATORS.items():
        if app in reads:
            people = annotate(people, only=reads[app])
    return people


def people_with_facts(service_users, *, evidence=True, flags=True):
    """``[(person, PersonFacts), …]`` in ``service_users``' order, in one query
    whatever their number: each app annotates the people with its own figures.

    ``flags`` reads what the board's flags and the reminders need
    (``review_due``, ``goals_without_levels``, ``overdue_steps``,
    ``measures_due``), ``evidence``
    what the cycle's checks need: True for every check, or a set of fact names
    (:func:`evidence_for_stages`) for only those. Facts not read are left false.
    ``no_contact`` and ``has_baseline`` are always read.
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
    wanted = set(EVIDENCE_FACTS) if evidence is True else set(evidence or ())
    unknown = wanted - set(EVIDENCE_FACTS)
    if unknown:
        raise ValueError(f"Unknown evidence facts: {', '.join(sorted(unknown))}.")
    people = _with_evidence(people, wanted)
    today = timezone.localdate()
    rule = review_due_rule()
    rows = [(person, _facts(person, wanted, flags, rule, today)) for person in people]
    if given is not None:
        order = {pk: index for index, pk in enumerate(given)}
        rows.sort(key=lambda row: order[row[0].pk])
    return rows


def _facts(person, wanted, flags, rule, today):
    """``wanted``: the evidence facts to work out (an empty set: none)."""
    facts = PersonFacts(
        has_baseline=person.has_baseline,
        no_contact=has_no_recent_contact(person, today),
    )
    if flags:
        facts.goals_without_levels = person.goals_without_levels
        facts.review_due = annotated_review_due(person, rule=rule)
        facts.overdue_steps = person.overdue_steps
        facts.measures_due = person.measures_due
    for fact in wanted:
        setattr(facts, fact, EVIDENCE_FACTS[fact].work_out(person))
    return facts
