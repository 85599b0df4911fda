"""Practice fidelity from the records (DESIGN §10, issue 14).

Is each person actually getting the intervention? Seven components, each read
from what the apps already hold, through their selectors:

- the network mapped at the start (a baseline snapshot);
- goals in the person's words with GAS levels;
- at least one community opportunity tried (a suggestion tried, or a session
  about one; an opportunity linked to a goal or to a map member);
- both partners doing tasks (goal steps for the person and for the worker);
- a review with a re-map (a goal review, and a snapshot after the baseline to
  compare with it);
- a follow-up outcome measure, when the person has outcome measures at all;
- a moving-on plan (the ending summary) before closing.

A component is *due* once the person has gone past the stage where it is
normally done (``due_after``); a closed case is judged by the furthest stage it
reached before closing, and its moving-on plan is due. A person's fidelity is
the share of their due components that are present (None while nothing is due).

Computed for a whole caseload or team in a fixed number of queries, one per
component (plus the people and their stage history), whatever their number:
see :func:`fidelity_for`.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from caseload.selectors import fidelity_rows, fidelity_scope, stages_reached
from caseload.stages import STAGE_ORDER, Stage
from goals.selectors import (
    goal_with_levels_ids,
    latest_review_ids,
    opportunity_goal_ids,
    opportunity_session_ids,
    step_owner_counts,
)
from networks.selectors import baseline_snapshot_ids, opportunity_member_ids, remap_snapshot_ids
from outcomes.selectors import MIN_PEOPLE, latest_result_dates, people_with_result_since, shown

from .links import person_link
from .referrals import tried_referral_ids

STAGE_INDEX = {code: index for index, code in enumerate(STAGE_ORDER)}

HIGH = "high"
LOW = "low_moderate"
BAND_LABELS = {HIGH: "High", LOW: "Low or moderate"}


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    # Due once the person has moved past this stage (for a closed case: reached it).
    due_after: str
    # Where it is added when absent (a page of the person's).
    add_url_name: str
    add_label: str


COMPONENTS = [
    Component(
        "baseline_map",
        "The network mapped at the start (a baseline snapshot)",
        Stage.ASSESS,
        "networks:snapshots",
        "Take a baseline snapshot",
    ),
    Component(
        "goals_in_words",
        "Goals in the person’s words with GAS levels",
        Stage.PLAN,
        "goals:list",
        "Describe goal levels",
    ),
    Component(
        "opportunity_tried",
        "At least one community opportunity tried",
        Stage.CONNECT,
        "workflow:referrals",
        "Suggest an opportunity",
    ),
    Component(
        "both_partners",
        "Both partners doing tasks (steps for the person and for the worker)",
        Stage.CONNECT,
        "goals:list",
        "Add goal steps",
    ),
    Component(
        "review_remap",
        "A review with a re-map compared with the baseline",
        Stage.REVIEW,
        "goals:review_create",
        "Record a review",
    ),
    Component(
        "follow_up_measure",
        "A follow-up outcome measure",
        Stage.REVIEW,
        "outcomes:list",
        "Record a measure",
    ),
    Component(
        "moving_on_plan",
        "A moving-on plan before closing (the ending summary)",
        Stage.MOVING_ON,
        "caseload:ending_summary",
        "Write the ending summary",
    ),
]
COMPONENTS_BY_CODE = {component.code: component for component in COMPONENTS}


def high_threshold():
    return settings.CONNECTING_PEOPLE["FIDELITY_HIGH_THRESHOLD"]


def closed_since(today=None):
    """Closed cases count for this long after closing ("recently closed")."""
    days = settings.CONNECTING_PEOPLE["FIDELITY_CLOSED_DAYS"]
    return (today or timezone.localdate()) - datetime.timedelta(days=days)


@dataclass
class ComponentResult:
    component: Component
    due: bool
    present: bool
    # [(label, URL name, child kwarg, child public id, query string)]: the evidence.
    evidence: list = field(default_factory=list)

    @property
    def code(self):
        return self.component.code

    @property
    def label(self):
        return self.component.label


@dataclass
class PersonFidelity:
    person_id: int
    stage: str
    worker_id: int | None
    team_id: int
    results: list

    @property
    def due(self):
        return [result for result in self.results if result.due]

    @property
    def due_count(self):
        return len(self.due)

    @property
    def present_count(self):
        return sum(1 for result in self.due if result.present)

    @property
    def score(self):
        """Share of due components present, or None while none is due."""
        due = self.due_count
        return self.present_count / due if due else None

    @property
    def percent(self):
        score = self.score
        return None if score is None else round(score * 100)

    @property
    def band(self):
        score = self.score
        if score is None:
            return None
        return HIGH if score >= high_threshold() else LOW

    @property
    def band_label(self):
        return BAND_LABELS.get(self.band, "")


def _effective_index(stage, reached):
    """How far the person is in the cycle for due-ness: their stage's index, or
    for a closed case one past the furthest stage reached before closing."""
    if stage != Stage.CLOSED:
        return STAGE_INDEX[stage]
    before = [STAGE_INDEX[code] for code in reached if code != Stage.CLOSED]
    return max(before, default=0) + 1


def _is_due(component, stage, index):
    if component.code == "moving_on_plan":
        return stage == Stage.CLOSED
    return index > STAGE_INDEX[component.due_after]


def fidelity_for(people, *, today=None):
    """``{person pk: PersonFidelity}`` for the open cases in ``people`` (a
    ServiceUser queryset already narrowed by the access rules) and those closed
    within ``FIDELITY_CLOSED_DAYS``.

    Thirteen queries whatever the number of people: the people, their stage
    history, and one grouped query per source of evidence (the opportunity
    component has four sources, the review two, the follow-up measure two). No
    query per person."""
    since = closed_since(today)
    counted = fidelity_scope(people, closed_since=since)
    rows = list(fidelity_rows(counted))
    if not rows:
        return {}
    ids = counted.values("pk")
    reached = stages_reached(counted.filter(stage=Stage.CLOSED))
    baselines = baseline_snapshot_ids(ids)
    goals = goal_with_levels_ids(ids)
    tried = tried_referral_ids(ids)
    sessions = opportunity_session_ids(ids)
    goal_opportunities = opportunity_goal_ids(ids)
    members = opportunity_member_ids(ids)
    steps = step_owner_counts(ids)
    reviews = latest_review_ids(ids)
    remaps = remap_snapshot_ids(ids)
    with_outcomes = latest_result_dates(ids)
    followed_up = people_with_result_since(ids)

    def evidence(code, pk):
        """[(label, url name, child kwarg, child id, query)] or [] when absent."""
        if code == "baseline_map" and pk in baselines:
            return [("The baseline map", "networks:snapshot", "snapshot_id", baselines[pk], "")]
        if code == "goals_in_words" and pk in goals:
            return [("A goal with its levels", "goals:goal", "goal_id", goals[pk], "")]
        if code == "opportunity_tried":
            found = []
            if pk in tried:
                found.append(
                    ("A suggestion tried", "workflow:referral", "referral_id", tried[pk], "")
                )
            if pk in sessions:
                found.append(
                    (
                        "A session about an opportunity",
                        "caseload:session",
                        "session_id",
                        sessions[pk],
                        "",
                    )
                )
            if pk in goal_opportunities:
                found.append(
                    (
                        "A goal involving an opportunity",
                        "goals:goal",
                        "goal_id",
                        goal_opportunities[pk],
                        "",
                    )
                )
            if pk in members:
                found.append(
                    (
                        "A map member met through an opportunity",
                        "networks:member_edit",
                        "member_id",
                        members[pk],
                        "",
                    )
                )
            return found
        if code == "both_partners":
            by_person, by_worker = steps.get(pk, (0, 0))
            if by_person and by_worker:
                return [
                    (
                        f"{by_person} step{'s' if by_person != 1 else ''} for the person, "
                        f"{by_worker} for the worker",
                        "goals:list",
                        None,
                        None,
                        "",
                    )
                ]
            return []
        if code == "review_remap" and pk in reviews and pk in remaps:
            before, after = remaps[pk]
            return [
                ("The latest review", "goals:review", "review_id", reviews[pk], ""),
                (
                    "The re-map compared with the baseline",
                    "networks:compare",
                    None,
                    None,
                    f"?before={before}&after={after}",
                ),
            ]
        if code == "follow_up_measure" and pk in followed_up:
            return [("Outcome measures", "outcomes:list", None, None, "")]
        if code == "moving_on_plan" and has_ending.get(pk):
            return [("Ending summary", "caseload:ending_summary", None, None, "")]
        return []

    has_ending = {}
    result = {}
    for pk, stage, worker_id, team_id, ending in rows:
        has_ending[pk] = ending
        index = _effective_index(stage, reached.get(pk, ()))
        results = []
        for component in COMPONENTS:
            due = _is_due(component, stage, index)
            if component.code == "follow_up_measure" and pk not in with_outcomes:
                due = False  # no outcome measures for this person: nothing to follow up
            found = evidence(component.code, pk)
            results.append(ComponentResult(component, due, bool(found), found))
        result[pk] = PersonFidelity(pk, stage, worker_id, team_id, results)
    return result


def person_fidelity(service_user, *, today=None):
    """The :class:`PersonFidelity` of one person (fetched through
    ``caseload.access``), or None for a case closed too long ago."""
    from caseload.selectors import as_queryset

    return fidelity_for(as_queryset([service_user]), today=today).get(service_user.pk)


@dataclass
class LinkedResult:
    """A component for the journey page: its result with evidence URLs."""

    label: str
    due: bool
    present: bool
    links: list  # [(label, url)]
    add_url: str
    add_label: str


def with_links(fidelity, service_user):
    """The components of one person's fidelity with their evidence URLs (no query)."""
    rows = []
    for result in fidelity.results:
        links = []
        for label, url_name, child_kwarg, child_id, query in result.evidence:
            url = person_link(url_name, child_kwarg).for_person(service_user, child_id)
            if url:
                links.append((label, url + query))
        component = result.component
        rows.append(
            LinkedResult(
                label=result.label,
                due=result.due,
                present=result.present,
                links=links,
                add_url=person_link(component.add_url_name).for_person(service_user),
                add_label=component.add_label,
            )
        )
    return rows


# Distributions -------------------------------------------------------------------


@dataclass
class Distribution:
    """How many people are in each band, and how many have nothing due yet."""

    high: int = 0
    low: int = 0
    not_yet: int = 0

    @property
    def counted(self):
        return self.high + self.low

    def add(self, fidelity):
        band = fidelity.band
        if band == HIGH:
            self.high += 1
        elif band == LOW:
            self.low += 1
        else:
            self.not_yet += 1


def distribution(fidelities, key=None):
    """A :class:`Distribution` of ``fidelities`` (PersonFidelity values), or with
    ``key`` (a function of one) ``{key: Distribution}``."""
    if key is None:
        total = Distribution()
        for fidelity in fidelities:
            total.add(fidelity)
        return total
    groups = {}
    for fidelity in fidelities:
        groups.setdefault(key(fidelity), Distribution()).add(fidelity)
    return groups


@dataclass
class DistributionRow:
    """One row of a fidelity table: who, and their distribution as shown
    (counts under 5 read "fewer than 5")."""

    label: str
    figures: Distribution
    worker: object = None

    @property
    def counted(self):
        return shown(self.figures.counted)

    @property
    def high(self):
        return shown(self.figures.high)

    @property
    def low(self):
        return shown(self.figures.low)

    @property
    def not_yet(self):
        return shown(self.figures.not_yet)

    @property
    def high_percent(self):
        """The share in the high band, only when neither band is suppressed."""
        figures = self.figures
        if figures.high < MIN_PEOPLE or figures.low < MIN_PEOPLE:
            return None
        return round(100 * figures.high / figures.counted)


@dataclass
class TeamFidelity:
    team: DistributionRow
    workers: list  # [DistributionRow]
    threshold: float

    @property
    def threshold_percent(self):
        return round(self.threshold * 100)


def team_fidelity(team, people, workers):
    """The dashboard's fidelity figures: the distribution of ``people`` (a team's
    ServiceUser queryset within the access rules) by band, for the team and for
    each of ``workers`` (users, e.g. the dashboard's worker rows' workers), in
    :func:`fidelity_for`'s fixed number of queries."""
    fidelities = list(fidelity_for(people).values())
    by_worker = distribution(fidelities, key=lambda f: f.worker_id)
    return TeamFidelity(
        team=DistributionRow(str(team), distribution(fidelities)),
        workers=[
            DistributionRow(str(worker), by_worker.get(worker.pk, Distribution()), worker)
            for worker in workers
        ],
        threshold=high_threshold(),
    )
