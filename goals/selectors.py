"""Reads that span goals, steps and reviews, each in a fixed number of queries."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from caseload.models import ServiceUser

from . import gas
from .models import Goal, GoalStatus, Rating, Review, SessionGoal, Step

ENDED_STATUSES = [s for s in GoalStatus.values if s != GoalStatus.ACTIVE]


def review_interval():
    weeks = settings.CONNECTING_PEOPLE.get("REVIEW_INTERVAL_WEEKS", 8)
    return datetime.timedelta(weeks=weeks)


def is_review_due(*, active_goals, last_review_at, oldest_active_set_on, now=None):
    """A review is due when there is something to rate and either the last review
    is older than the interval, or there has been none and an active goal was
    agreed longer ago than the interval."""
    if not active_goals:
        return False
    now = now or timezone.now()
    interval = review_interval()
    if last_review_at is not None:
        return last_review_at < now - interval
    if oldest_active_set_on is None:
        return False
    return oldest_active_set_on < timezone.localdate(now) - interval


def _last_rating(field):
    return Subquery(
        Rating.objects.filter(goal=OuterRef("pk"))
        .order_by("-review__reviewed_at", "-review_id")
        .values(field)[:1]
    )


def steps_ordered():
    """Open steps first (soonest due first, undated last), then done ones."""
    return Step.objects.order_by(
        F("done_on").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "id"
    )


def goals_for(service_user):
    """The person's goals, each annotated with its last rating (``last_level``,
    ``last_note``, ``last_rated_at``), with steps, opportunities and network
    members prefetched: 4 queries."""
    return (
        Goal.objects.filter(service_user=service_user)
        .annotate(
            last_level=_last_rating("level"),
            last_note=_last_rating("note"),
            last_rated_at=_last_rating("review__reviewed_at"),
        )
        .select_related("service_user", "replaced_by__service_user")
        .prefetch_related(Prefetch("steps", queryset=steps_ordered()), "opportunities", "members")
        .order_by("set_on", "id")
    )


def active_goals_for(service_user):
    return (
        Goal.objects.filter(service_user=service_user, status=GoalStatus.ACTIVE)
        .annotate(last_level=_last_rating("level"))
        .select_related("service_user")
        .order_by("set_on", "id")
    )


def current_level(goal):
    """The level from the goal's last rating, else its baseline."""
    last = getattr(goal, "last_level", None)
    return goal.baseline_level if last is None else last


def reviews_for(service_user):
    """The person's reviews, newest first, with reviewer and ratings (and their
    goals) loaded: 3 queries however many reviews and goals. For timelines."""
    return (
        Review.objects.filter(service_user=service_user)
        .select_related("reviewed_by", "service_user")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("goal__service_user").order_by(
                    "goal__set_on", "goal_id"
                ),
            )
        )
        .order_by("-reviewed_at", "-id")
    )


def review_history(service_user):
    """Everything the chart and its table need, oldest review first.

    Two queries (reviews, ratings with their goals), whatever the number of
    reviews and goals. Returns ``{"reviews": [...], "goals": [...], "rows": [...]}``
    where each row is ``{"review", "t_score", "levels": {goal_id: level}}``; the
    T-score is recomputed from the ratings' levels and stored weights.
    """
    reviews = list(reviews_for(service_user).order_by("reviewed_at", "id"))
    goals = {}
    rows = []
    for review in reviews:
        ratings = list(review.ratings.all())
        levels = {}
        for rating in ratings:
            goals.setdefault(rating.goal_id, rating.goal)
            levels[rating.goal_id] = rating.level
        score = gas.t_score([r.level for r in ratings], [r.weight for r in ratings])
        rows.append({"review": review, "t_score": score, "levels": levels})
    ordered_goals = sorted(goals.values(), key=lambda g: (g.set_on, g.id))
    return {"reviews": reviews, "goals": ordered_goals, "rows": rows}


def goals_linked_to_session(session):
    return Goal.objects.filter(session_links__session=session).order_by("set_on", "id")


def sessions_for_goal(goal):
    return (
        SessionGoal.objects.filter(goal=goal)
        .select_related("session")
        .order_by("-session__date", "-session_id")
    )


def _empty_summary():
    return {
        "active_goals": 0,
        "active_goals_with_levels": 0,
        "review_count": 0,
        "last_review_at": None,
        "latest_t_score": None,
        "review_due": False,
        "overdue_steps": 0,
        "achieved_goals": 0,
    }


class GoalSummaries(dict):
    """A dict of summaries that answers with zeros for anyone not in it."""

    def __missing__(self, key):
        return _empty_summary()


def goal_summaries(service_user_ids, *, now=None):
    """Goal facts for many people at once, in four queries whatever their number.

    ``service_user_ids``: ids (or a queryset of ids / of people). Returns a dict
    id → {"active_goals", "active_goals_with_levels" (expected outcome
    described), "review_count", "last_review_at", "latest_t_score",
    "review_due", "overdue_steps", "achieved_goals"}. Everyone asked about is in
    the result, with zeros when they have no goals (and looking up anyone else
    gives zeros too, so a queryset of ids needs no extra query).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if isinstance(service_user_ids, QuerySet):
        if service_user_ids.model is ServiceUser and not service_user_ids.query.values_select:
            service_user_ids = service_user_ids.values("pk")
        ids_filter = service_user_ids
        wanted = None
    else:
        wanted = list(service_user_ids)
        ids_filter = wanted
    summaries = defaultdict(lambda: {**_empty_summary(), "_oldest_active": None})
    if wanted is not None:
        for pk in wanted:
            summaries[pk]  # noqa: B018 - creates the empty summary
    active = Q(status=GoalStatus.ACTIVE)
    for row in (
        Goal.objects.filter(service_user_id__in=ids_filter)
        .values("service_user_id")
        .annotate(
            active_n=Count("id", filter=active),
            with_levels=Count("id", filter=active & ~Q(level_0="")),
            achieved=Count("id", filter=Q(status=GoalStatus.ACHIEVED)),
            oldest_active=Min("set_on", filter=active),
        )
        .order_by()
    ):
        summary = summaries[row["service_user_id"]]
        summary["active_goals"] = row["active_n"]
        summary["active_goals_with_levels"] = row["with_levels"]
        summary["achieved_goals"] = row["achieved"]
        summary["_oldest_active"] = row["oldest_active"]
    latest = Review.objects.filter(service_user_id=OuterRef("pk")).order_by("-reviewed_at", "-id")
    for row in (
        Review.objects.filter(service_user_id__in=ids_filter)
        .values("service_user_id")
        .annotate(n=Count("id"), last=Max("reviewed_at"))
        .order_by()
    ):
        summary = summaries[row["service_user_id"]]
        summary["review_count"] = row["n"]
        summary["last_review_at"] = row["last"]
    for pk, score in (
        ServiceUser.objects.filter(pk__in=ids_filter)
        .annotate(score=Subquery(latest.values("t_score")[:1]))
        .exclude(score=None)
        .values_list("pk", "score")
    ):
        summaries[pk]["latest_t_score"] = score
    for row in (
        Step.objects.filter(
            goal__service_user_id__in=ids_filter,
            goal__status=GoalStatus.ACTIVE,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .values("goal__service_user_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        summaries[row["goal__service_user_id"]]["overdue_steps"] = row["n"]
    result = GoalSummaries()
    for pk, summary in summaries.items():
        oldest = summary.pop("_oldest_active")
        summary["review_due"] = is_review_due(
            active_goals=summary["active_goals"],
            last_review_at=summary["last_review_at"],
            oldest_active_set_on=oldest,
            now=now,
        )
        result[pk] = summary
    return result


def with_review_due(people, *, now=None):
    """Annotate a ServiceUser queryset so :func:`review_due_q` can filter or count
    people whose goal review is due: the rule of :func:`is_review_due`, in SQL,
    so dashboards count without loading anyone."""
    active = Goal.objects.filter(service_user=OuterRef("pk"), status=GoalStatus.ACTIVE)
    last_review = (
        Review.objects.filter(service_user=OuterRef("pk"))
        .order_by("-reviewed_at")
        .values("reviewed_at")[:1]
    )
    return people.annotate(
        _has_active_goal=Exists(active),
        _last_review_at=Subquery(last_review),
        _oldest_active_set_on=Subquery(active.order_by("set_on").values("set_on")[:1]),
    )


def review_due_q(*, now=None):
    now = now or timezone.now()
    interval = review_interval()
    return Q(_has_active_goal=True) & (
        Q(_last_review_at__lt=now - interval)
        | Q(
            _last_review_at__isnull=True,
            _oldest_active_set_on__lt=timezone.localdate(now) - interval,
        )
    )


def with_latest_t_score(people):
    """Annotate a ServiceUser queryset with ``latest_t_score`` (None if never reviewed)."""
    latest = (
        Review.objects.filter(service_user=OuterRef("pk"), t_score__isnull=False)
        .order_by("-reviewed_at", "-id")
        .values("t_score")[:1]
    )
    return people.annotate(latest_t_score=Subquery(latest))


def active_goals_with_steps(service_user):
    """The person's active goals, oldest first, with their steps and the
    opportunities they involve (three queries)."""
    return (
        Goal.objects.filter(service_user=service_user, status=GoalStatus.ACTIVE)
        .prefetch_related(Prefetch("steps", queryset=steps_ordered()), "opportunities")
        .order_by("set_on", "id")
    )
