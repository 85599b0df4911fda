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
from core.links import person_link
from goals.selectors import (
    GOAL_WITH_LEVELS,
    LATEST_REVIEW,
    OPPORTUNITY_GOAL,
    OPPORTUNITY_SESSION,
    STEP_OWNERS,
)
from networks.selectors import BASELINE_SNAPSHOT, OPPORTUNITY_MEMBER, REMAP_SNAPSHOT
from outcomes.selectors import FOLLOW_UP_RESULT, LATEST_RESULT, MIN_PEOPLE, shown

from .referrals import TRIED_REFERRAL

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
COMPONENT_INDEX = {component.code: index for index, component in enumerate(COMPONENTS)}


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
    """One person's fidelity: which components are due and present (a flag per
    component, in :data:`COMPONENTS` order); the evidence is looked up only when
    :attr:`results` is read (the journey), not for a board or a dashboard."""

    person_id: int
    stage: str
    worker_id: int | None
    team_id: int
    due_flags: tuple
    present_flags: tuple
    _evidence: object = field(default=None, repr=False, compare=False)

    @property
    def results(self):
        evidence = self._evidence
        return [
            ComponentResult(
                component,
                due,
                present,
                evidence(component.code, self.person_id) if present and evidence else [],
            )
            for component, due, present in zip(
                COMPONENTS, self.due_flags, self.present_flags, strict=True
            )
        ]

    def has(self, code):
        """Whether the component ``code`` is present, due or not."""
        return self.present_flags[COMPONENT_INDEX[code]]

    @property
    def due_count(self):
        return sum(self.due_flags)

    @property
    def present_count(self):
        return sum(
            1
            for due, present in zip(self.due_flags, self.present_flags, strict=True)
            if due and present
        )

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


# The figures per person that the components are read from (core.per_person),
# each defined by the app that holds the records.
SOURCES = {
    "baselines": BASELINE_SNAPSHOT,
    "goals": GOAL_WITH_LEVELS,
    "tried": TRIED_REFERRAL,
    "sessions": OPPORTUNITY_SESSION,
    "goal_opportunities": OPPORTUNITY_GOAL,
    "members": OPPORTUNITY_MEMBER,
    "steps": STEP_OWNERS,
    "reviews": LATEST_REVIEW,
    "remaps": REMAP_SNAPSHOT,
    "with_outcomes": LATEST_RESULT,
    "followed_up": FOLLOW_UP_RESULT,
}
ANNOTATIONS = {
    expression_name: expression
    for name, source in SOURCES.items()
    for expression_name, expression in source.annotation(f"_fidelity_{name}").items()
}


class _Evidence:
    """What each source found, by person (``{person pk: figure}`` per source):
    presence for every component, and the evidence (label, URL name, child
    kwarg, child id, query string)."""

    def __init__(self, found):
        for name in SOURCES:
            setattr(self, name, found[name])
        self.ending = {}

    @classmethod
    def grouped(cls, ids):
        """One grouped query per source over ``ids``."""
        return cls({name: source.grouped(ids) for name, source in SOURCES.items()})

    @classmethod
    def from_rows(cls, rows):
        """From the people's rows annotated with :data:`ANNOTATIONS`: no query."""
        found = {name: {} for name in SOURCES}
        for row in rows:
            for name, source in SOURCES.items():
                figure = source.read(row, f"_fidelity_{name}")
                if figure is not None:
                    found[name][row["pk"]] = figure
        return cls(found)

    def present(self, pk):
        """Presence of each component for ``pk``, in :data:`COMPONENTS` order."""
        by_person, by_worker = self.steps.get(pk, (0, 0))
        return (
            pk in self.baselines,
            pk in self.goals,
            pk in self.tried
            or pk in self.sessions
            or pk in self.goal_opportunities
            or pk in self.members,
            bool(by_person and by_worker),
            pk in self.reviews and pk in self.remaps,  # a re-map follows a baseline
            pk in self.followed_up,
            bool(self.ending.get(pk)),
        )

    def __call__(self, code, pk):
        if code == "baseline_map":
            return [
                ("The baseline map", "networks:snapshot", "snapshot_id", self.baselines[pk], "")
            ]
        if code == "goals_in_words":
            return [("A goal with its levels", "goals:goal", "goal_id", self.goals[pk], "")]
        if code == "opportunity_tried":
            sources = [
                (self.tried, "A suggestion tried", "workflow:referral", "referral_id"),
                (self.sessions, "A session about an opportunity", "caseload:session", "session_id"),
                (
                    self.goal_opportunities,
                    "A goal involving an opportunity",
                    "goals:goal",
                    "goal_id",
                ),
                (
                    self.members,
                    "A map member met through an opportunity",
                    "networks:member_edit",
                    "member_id",
                ),
            ]
            return [
                (label, url_name, kwarg, found[pk], "")
                for found, label, url_name, kwarg in sources
                if pk in found
            ]
        if code == "both_partners":
            by_person, by_worker = self.steps[pk]
            steps = "step" if by_person == 1 else "steps"
            label = f"{by_person} {steps} for the person, {by_worker} for the worker"
            return [(label, "goals:list", None, None, "")]
        if code == "review_remap":
            before, after = self.baselines[pk], self.remaps[pk]
            return [
                ("The latest review", "goals:review", "review_id", self.reviews[pk], ""),
                (
                    "The re-map compared with the baseline",
                    "networks:compare",
                    None,
                    None,
                    f"?before={before}&after={after}",
                ),
            ]
        if code == "follow_up_measure":
            return [("Outcome measures", "outcomes:list", None, None, "")]
        if code == "moving_on_plan":
            return [("Ending summary", "caseload:ending_summary", None, None, "")]
        return []


FOLLOW_UP = COMPONENTS_BY_CODE["follow_up_measure"]


def fidelity_for(people, *, today=None, few=False):
    """``{person pk: PersonFidelity}`` for the open cases in ``people`` (a
    ServiceUser queryset already narrowed by the access rules) and those closed
    within ``FIDELITY_CLOSED_DAYS``.

    A fixed number of queries whatever the number of people, none per person.
    With ``few`` (up to a few hundred people, such as a board's cards or one
    person's journey): one query, the people with every source of evidence as
    a subquery, plus the stage history when some are closed; a dozen separate
    queries cost more to build than this one costs to run. Otherwise (a team):
    the people, the stage history of the closed ones, and one grouped query per
    source (:data:`SOURCES`) over the people, where a subquery per person would
    run thousands of times."""
    since = closed_since(today)
    scope = fidelity_scope(people, closed_since=since)
    if few:
        rows = list(fidelity_rows(scope, **ANNOTATIONS))
        evidence = _Evidence.from_rows(rows)
    else:
        rows = list(fidelity_rows(scope))
        evidence = _Evidence.grouped(scope.values("pk")) if rows else None
    if not rows:
        return {}
    closed = [row["pk"] for row in rows if row["stage"] == Stage.CLOSED]
    reached = stages_reached(closed) if closed else {}
    result = {}
    for row in rows:
        pk, stage = row["pk"], row["stage"]
        evidence.ending[pk] = row["has_ending"]
        index = _effective_index(stage, reached.get(pk, ()))
        due = [_is_due(component, stage, index) for component in COMPONENTS]
        if pk not in evidence.with_outcomes:
            due[COMPONENT_INDEX[FOLLOW_UP.code]] = False  # no measures: nothing to follow up
        result[pk] = PersonFidelity(
            pk, stage, row["worker_id"], row["team_id"], tuple(due), evidence.present(pk), evidence
        )
    return result


def person_fidelity(service_user, *, today=None):
    """The :class:`PersonFidelity` of one person (fetched through
    ``caseload.access``), or None for a case closed too long ago."""
    from caseload.selectors import as_queryset

    return fidelity_for(as_queryset([service_user]), today=today, few=True).get(service_user.pk)


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


def team_fidelity(team, people, workers=None):
    """The dashboard's fidelity figures: the distribution of ``people`` (a team's
    ServiceUser queryset within the access rules) by band, for the team and for
    each of its workers (``workers``: users, default the team's, one query), in
    :func:`fidelity_for`'s fixed number of queries. Plain values only (names and
    counts), so the dashboard can keep them in the shared cache."""
    from accounts.selectors import team_workers

    fidelities = list(fidelity_for(people).values())
    by_worker = distribution(fidelities, key=lambda f: f.worker_id)
    if workers is None:
        workers = team_workers(team)
    return TeamFidelity(
        team=DistributionRow(str(team), distribution(fidelities)),
        workers=[
            DistributionRow(str(worker), by_worker.get(worker.pk, Distribution()))
            for worker in workers
        ],
        threshold=high_threshold(),
    )
