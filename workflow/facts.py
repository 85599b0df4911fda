"""Facts about people that the workflow, journey, board and dashboard need,
gathered for many people at once with a fixed number of queries."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from caseload.models import Session, SessionKind, Status
from caseload.selectors import has_no_recent_contact, no_contact_condition
from caseload.stages import Stage
from goals.models import Goal, GoalStatus, Step
from goals.selectors import goal_summaries
from networks.models import NetworkMember
from networks.selectors import network_summaries


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
        return flags


STAGE_INDEX = {code: index for index, code in enumerate(Stage.values)}

FLAG_LABELS = {
    "no_contact": "No contact for {days}+ days",
    "review_due": "Goal review due",
    "goals_without_levels": "Goal levels not all described",
    "no_baseline": "No baseline network map",
}


def flag_label(code):
    return FLAG_LABELS[code].format(days=settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"])


def no_contact_q():
    """Open cases with no contact for the configured number of days (the
    caseload list's rule, so the list, board and dashboard agree)."""
    return ~Q(status=Status.CLOSED) & no_contact_condition()


def gather_facts(service_users):
    """PersonFacts for each person in ``service_users`` (already access-checked),
    keyed by primary key."""
    people = list(service_users)
    ids = [person.pk for person in people]
    if not ids:
        return {}
    sessions = {
        row["service_user_id"]: row
        for row in Session.objects.filter(service_user_id__in=ids)
        .exclude(kind=SessionKind.DID_NOT_ATTEND)
        .values("service_user_id")
        .annotate(total=Count("id"), connect=Count("id", filter=Q(stage=Stage.CONNECT)))
    }
    facts = {}
    for person in people:
        session_row = sessions.get(person.pk, {})
        facts[person.pk] = PersonFacts(
            has_referral_date=person.referral_date is not None,
            has_referral_source=bool(person.referral_source),
            has_consent=person.consent_to_take_part is True,
            has_session=bool(session_row.get("total")),
            has_connect_session=bool(session_row.get("connect")),
            has_ending_summary=bool(person.ending_summary),
            has_closure=bool(person.closed_on and person.closure_reason),
            no_contact=has_no_recent_contact(person),
        )
    _add_network_facts(facts)
    _add_goal_facts(facts)
    return facts


def _add_network_facts(facts):
    """Map, baseline, follow-up snapshot and opportunity links (4 queries)."""
    ids = list(facts)
    for pk, summary in network_summaries(ids).items():
        person = facts[pk]
        person.has_network_member = summary["active_members"] > 0
        person.has_baseline = summary["has_baseline"]
        baseline_count = 1 if summary["has_baseline"] else 0
        person.has_follow_up_snapshot = summary["has_baseline"] and (
            summary["snapshot_count"] > baseline_count
        )
    linked = set(
        NetworkMember.objects.filter(service_user_id__in=ids, opportunity__isnull=False)
        .order_by()
        .values_list("service_user_id", flat=True)
        .distinct()
    )
    linked |= set(
        Goal.objects.filter(service_user_id__in=ids, opportunities__isnull=False)
        .order_by()
        .values_list("service_user_id", flat=True)
        .distinct()
    )
    for pk in linked:
        facts[pk].has_opportunity_link = True


def _add_goal_facts(facts):
    """Goals with levels, reviews, steps (6 queries)."""
    ids = list(facts)
    for pk, summary in goal_summaries(ids).items():
        person = facts.get(pk)
        if person is None:
            continue
        person.has_goal_with_levels = summary["active_goals_with_levels"] > 0
        person.has_review = summary["review_count"] > 0
        person.review_due = summary["review_due"]
        person.overdue_steps = summary["overdue_steps"]
    incomplete = Q(level_0="")
    for field in ("level_minus_2", "level_minus_1", "level_plus_1", "level_plus_2"):
        incomplete |= Q(**{field: ""})
    for row in (
        Goal.objects.filter(service_user_id__in=ids, status=GoalStatus.ACTIVE)
        .filter(incomplete)
        .values("service_user_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        facts[row["service_user_id"]].goals_without_levels = row["n"]
    for pk in (
        Step.objects.filter(goal__service_user_id__in=ids, done_on__isnull=False)
        .order_by()
        .values_list("goal__service_user_id", flat=True)
        .distinct()
    ):
        facts[pk].has_step_done = True
