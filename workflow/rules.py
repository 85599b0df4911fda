"""The Connecting People cycle: which moves are allowed and what evidence each
stage should have (DESIGN.md §2).

Readiness checks are advisory. A move shows what is present and what is
missing; moving on with something missing needs a short reason, kept in the
stage history. Facts come from each app's selectors (see ``facts.py``), so the
apps never import this module.
"""

from dataclasses import dataclass

from caseload.stages import STAGE_ORDER, Stage

# Reviewing may loop back to planning or connecting (DESIGN.md §2).
LOOPS = {
    Stage.REVIEW: [Stage.PLAN, Stage.CONNECT],
}

STAGE_HELP = {
    Stage.REFERRAL: "Referral received; you have not met yet.",
    Stage.GETTING_STARTED: "First meetings: agree to work together and find out what matters.",
    Stage.ASSESS: "Map who and what is in the person's life now.",
    Stage.PLAN: "Agree goals in the person's own words and what 'expected' looks like.",
    Stage.CONNECT: "Try new activities and meet people, with support.",
    Stage.REVIEW: "Rate the goals, re-map the network and compare with the start.",
    Stage.MOVING_ON: "Plan how connections will last without the worker.",
    Stage.CLOSED: "The case is closed.",
}


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    # Name of the fact in PersonFacts that must be truthy.
    fact: str
    # Where the evidence is added: (URL name, takes the person's public_id).
    fix_url_name: str = ""


EVIDENCE = {
    Stage.REFERRAL: [
        Check(
            "referral_date", "Referral date recorded", "has_referral_date", "caseload:person_edit"
        ),
        Check(
            "referral_source",
            "Referral source recorded",
            "has_referral_source",
            "caseload:person_edit",
        ),
    ],
    Stage.GETTING_STARTED: [
        Check("consent", "Consent to take part recorded", "has_consent", "caseload:person_consent"),
        Check("first_session", "First session logged", "has_session", "caseload:session_create"),
    ],
    Stage.ASSESS: [
        Check("map", "A network map with at least one entry", "has_network_member", "networks:map"),
        Check("baseline", "A baseline snapshot of the map", "has_baseline", "networks:snapshots"),
    ],
    Stage.PLAN: [
        Check(
            "goal", "At least one active goal with GAS levels", "has_goal_with_levels", "goals:list"
        ),
    ],
    Stage.CONNECT: [
        Check(
            "connect_sessions",
            "Sessions logged while connecting",
            "has_connect_session",
            "caseload:session_create",
        ),
        Check(
            "opportunity", "A community opportunity linked", "has_opportunity_link", "networks:map"
        ),
        Check("step_done", "At least one goal step done", "has_step_done", "goals:list"),
    ],
    Stage.REVIEW: [
        Check("gas_rating", "Goals rated in a review", "has_review", "goals:review_create"),
        Check(
            "new_snapshot",
            "A new network snapshot since the baseline",
            "has_follow_up_snapshot",
            "networks:map",
        ),
        Check(
            "follow_up_measure",
            "Follow-up measures recorded since the last review",
            "has_follow_up_measure",
            "outcomes:list",
        ),
    ],
    Stage.MOVING_ON: [
        Check(
            "ending_summary",
            "An ending summary written",
            "has_ending_summary",
            "caseload:ending_summary",
        ),
    ],
    Stage.CLOSED: [
        Check(
            "closure", "Closure date and reason recorded", "has_closure", "caseload:person_close"
        ),
    ],
}


def stage_label(code):
    return Stage(code).label


def next_stage(code):
    """The stage after ``code`` in the usual order (None after moving on)."""
    index = STAGE_ORDER.index(code)
    following = STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
    return None if following == Stage.CLOSED else following


def previous_stage(code):
    index = STAGE_ORDER.index(code)
    return STAGE_ORDER[index - 1] if index > 0 and code != Stage.CLOSED else None


def allowed_moves(code):
    """Stages a person at ``code`` may move to, most likely first.

    Forward one stage; back one stage (to correct a move); review loops back to
    planning or connecting. Closing goes through the closure page (a supervisor
    records the reason and ending summary); a closed case is reopened first.
    """
    if code == Stage.CLOSED:
        return []
    moves = []
    following = next_stage(code)
    if following:
        moves.append(following)
    for loop in LOOPS.get(code, []):
        if loop not in moves:
            moves.append(loop)
    previous = previous_stage(code)
    if previous and previous not in moves:
        moves.append(previous)
    return moves


@dataclass
class CheckResult:
    check: Check
    present: bool

    @property
    def code(self):
        return self.check.code

    @property
    def label(self):
        return self.check.label


def evaluate(stage, facts):
    """The evidence checks of ``stage`` with whether each is present in ``facts``."""
    return [CheckResult(check, bool(getattr(facts, check.fact))) for check in EVIDENCE[stage]]


def missing_evidence(stage, facts):
    return [result.label for result in evaluate(stage, facts) if not result.present]
