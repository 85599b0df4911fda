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
    review_due_q,
    with_latest_t_score,
    with_review_due,
)
from networks.selectors import baselines_with_size

from .aggregates import MedianValue, supports_median
from .facts import no_contact_q

OPEN_STAGES = [stage for stage in Stage if stage != Stage.CLOSED]


def supervised_teams(user):
    return accounts.supervised_teams(user)


def team_for(user, team_public_id=None):
    """The supervised team named in the request (404 for any other), or the first."""
    if team_public_id:
        team = accounts.supervised_team(user, team_public_id)
        if team is None:
            raise Http404("No such team")
        return team
    team = supervised_teams(user).first()
    if team is None:
        raise Http404("You do not supervise a team")
    return team


def team_worker(team, worker_public_id):
    """A worker in the team by public id, or 404."""
    worker = accounts.team_worker(team, worker_public_id)
    if worker is None:
        raise Http404("No such worker in this team")
    return worker


def no_contact_days():
    return settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"]


@dataclass
class WorkerRow:
    worker: object
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


def worker_rows(team, people):
    """One row per worker in the team (including those with no caseload)."""
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
    overdue = overdue_reviews_by_worker(people)
    result = []
    for worker in accounts.team_workers(team):
        row = rows.get(worker.pk, {})
        result.append(
            WorkerRow(
                worker=worker,
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


def overdue_reviews_by_worker(people):
    """{worker id: people whose goal review is due} in one grouped query."""
    rows = (
        with_review_due(_open(people))
        .values("allocated_worker")
        .annotate(n=Count("id", filter=review_due_q()))
        .order_by()
    )
    return {row["allocated_worker"]: row["n"] for row in rows}


def team_outcomes(people):
    """Network growth since baseline, latest T-scores and goals achieved (3 queries).

    Counts open cases only, except goals achieved, which counts every goal ever
    achieved by someone in the team. The medians are taken in Python from one
    value per person (a team's few thousand at most), so each person's network
    size and latest T-score is looked up once.
    """
    open_people = _open(people)
    sizes = list(baselines_with_size(open_people).values_list("baseline_size", "network_size"))
    changes = [now - then for then, now in sizes]
    scores = [
        score
        for score in with_latest_t_score(open_people).values_list("latest_t_score", flat=True)
        if score is not None
    ]
    return {
        "with_baseline": len(sizes),
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
