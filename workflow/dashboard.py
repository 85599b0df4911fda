"""Figures for the supervisor dashboard, computed with aggregate queries.

Nothing here loops over a team's caseload in Python: each figure is one
grouped query (medians run in the database on PostgreSQL; see aggregates.py).
"""

import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.utils import timezone

from accounts import selectors as accounts
from caseload.access import visible_service_users
from caseload.selectors import median_days_in_stage as stage_medians
from caseload.selectors import open_only
from caseload.stages import Stage
from goals.selectors import (
    achieved_goal_count,
    review_dates,
    review_due_rule,
    with_latest_t_score,
)
from networks.selectors import baseline_and_current_sizes

from .aggregates import MedianValue, supports_median
from .facts import no_contact_q

OPEN_STAGES = [stage for stage in Stage if stage != Stage.CLOSED]


def supervised_teams(user):
    return accounts.supervised_teams(user)


def team_for(user, team_public_id=None, *, among=None):
    """The supervised team named in the request (404 for any other), or the first.
    ``among``: the user's supervised teams, when already read (no query then)."""
    team = accounts.supervised_team(user, team_public_id, among=among)
    if team is None:
        raise Http404("No such team" if team_public_id else "You do not supervise a team")
    return team


def team_worker(team, worker_public_id):
    """A worker in the team by public id, or 404."""
    worker = accounts.team_worker(team, worker_public_id)
    if worker is None:
        raise Http404("No such worker in this team")
    return worker


def no_contact_days():
    return settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"]


@dataclass(frozen=True)
class WorkerName:
    """Who a dashboard row is about: what the page shows and links with, and
    nothing else of the user (the figures are kept in the shared cache)."""

    public_id: object
    username: str
    name: str

    def __str__(self):
        return self.name


@dataclass
class WorkerRow:
    worker: WorkerName
    caseload: int = 0
    by_stage: dict = field(default_factory=dict)
    days_since_contact_min: int | None = None
    days_since_contact_median: int | None = None
    days_since_contact_max: int | None = None
    never_contacted: int = 0
    no_contact: int = 0
    overdue_reviews: int = 0


def _days_since(day, today):
    return None if day is None else (today - day).days


def _median_dates_by_worker(open_people):
    """{worker id: median last-contact date} in one query."""
    contacted = open_people.filter(last_contact_on__isnull=False)
    if supports_median():
        return {
            row["allocated_worker"]: row["median"]
            for row in contacted.values("allocated_worker").annotate(
                median=MedianValue("last_contact_on")
            )
        }
    groups = {}
    for worker_id, day in contacted.values_list("allocated_worker", "last_contact_on"):
        groups.setdefault(worker_id, []).append(day)
    return {worker_id: statistics.median_low(sorted(days)) for worker_id, days in groups.items()}


def team_people(user, team):
    """Everyone in ``team`` that ``user`` may see (all of it, for its supervisor):
    the base of every figure, so even counts go through the access rules."""
    return visible_service_users(user).filter(team=team)


def worker_rows(team, people, per_person=None):
    """One row per worker in the team (including those with no caseload).
    ``per_person``: the team's :func:`person_figures`, if already read."""
    today = timezone.localdate()
    open_people = _open(people)
    stage_counts = {
        f"stage_{stage.value}": Count("id", filter=Q(stage=stage)) for stage in OPEN_STAGES
    }
    rows = {
        row["allocated_worker"]: row
        for row in open_people.values("allocated_worker").annotate(
            caseload=Count("id"),
            latest=Max("last_contact_on"),
            oldest=Min("last_contact_on"),
            never=Count("id", filter=Q(last_contact_on__isnull=True)),
            no_contact=Count("id", filter=no_contact_q()),
            **stage_counts,
        )
    }
    medians = _median_dates_by_worker(open_people)
    overdue = (per_person or person_figures(people)).overdue_by_worker
    result = []
    for worker in accounts.team_workers(team):
        row = rows.get(worker.pk, {})
        result.append(
            WorkerRow(
                worker=WorkerName(worker.public_id, worker.username, str(worker)),
                caseload=row.get("caseload", 0),
                by_stage={s.value: row.get(f"stage_{s.value}", 0) for s in OPEN_STAGES},
                days_since_contact_min=_days_since(row.get("latest"), today),
                days_since_contact_median=_days_since(medians.get(worker.pk), today),
                days_since_contact_max=_days_since(row.get("oldest"), today),
                never_contacted=row.get("never", 0),
                no_contact=row.get("no_contact", 0),
                overdue_reviews=overdue.get(worker.pk, 0),
            )
        )
    return result


def _open(people):
    return open_only(people)


@dataclass
class PersonFigures:
    """What the dashboard reads person by person (open cases only)."""

    overdue_by_worker: dict  # worker id: people whose goal review is due
    network_changes: list  # active members now minus in the baseline, per person with one
    t_scores: list  # latest T-score, per person reviewed


def person_figures(people):
    """What the figures below read person by person, for the team's open cases, in
    three grouped queries that look each person's records up once: goal and review
    dates, network size at baseline and now, latest T-score. A team's few
    thousand values are then counted and their medians taken in Python, the same
    on PostgreSQL and SQLite."""
    open_people = _open(people).order_by()
    review_due = review_due_rule()
    overdue = {}
    for worker, oldest_active, last_review_at in review_dates(open_people).values_list(
        "allocated_worker", "oldest_active_goal_set_on", "last_review_at"
    ):
        if review_due(oldest_active is not None, last_review_at, oldest_active):
            overdue[worker] = overdue.get(worker, 0) + 1
    return PersonFigures(
        overdue_by_worker=overdue,
        network_changes=[now - then for then, now in baseline_and_current_sizes(open_people)],
        t_scores=[
            score
            for score in with_latest_t_score(open_people).values_list("latest_t_score", flat=True)
            if score is not None
        ],
    )


def team_outcomes(people, per_person=None):
    """Network growth since baseline, latest T-scores and goals achieved.

    Counts open cases only, except goals achieved, which counts every goal ever
    achieved by someone in the team.
    """
    per_person = per_person or person_figures(people)
    changes, scores = per_person.network_changes, per_person.t_scores
    return {
        "with_baseline": len(changes),
        "grew": sum(1 for change in changes if change > 0),
        "median_change": round(float(statistics.median(changes)), 1) if changes else None,
        "reviewed": len(scores),
        "median_t_score": round(statistics.median(scores), 2) if scores else None,
        "goals_achieved": achieved_goal_count(people),
    }


def people_by_stage(people):
    counts = dict(_open(people).values_list("stage").annotate(n=Count("id")))
    return [(stage, counts.get(stage.value, 0)) for stage in OPEN_STAGES]


def median_days_in_stage(people):
    """[(stage, median days)] over completed stays in each open stage by the
    team's people (see :func:`caseload.selectors.median_days_in_stage`)."""
    medians = stage_medians(people)
    return [
        (stage, None if medians.get(stage.value) is None else round(medians[stage.value], 1))
        for stage in OPEN_STAGES
    ]
