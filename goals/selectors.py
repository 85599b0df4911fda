"""Reads that span goals, steps and reviews, each in a fixed number of queries."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.selectors import name_fields
from caseload.models import ServiceUser
from core.per_person import PerPerson, annotate_only

from . import gas
from .models import LEVEL_FIELDS, Goal, GoalStatus, Rating, Review, SessionGoal, Step, StepWho

ENDED_STATUSES = [s for s in GoalStatus.values if s != GoalStatus.ACTIVE]


def has_levels_q(prefix=""):
    """Goals whose five GAS levels (−2 to +2) are all described: the one
    definition of a goal "with levels", used by the goal summaries and by the
    workflow's evidence and flags. ``prefix`` reaches goals through a relation,
    e.g. ``"goals__"``."""
    condition = Q()
    for field in LEVEL_FIELDS.values():
        condition &= ~Q(**{prefix + field: ""})
    return condition


def review_interval():
    weeks = settings.CONNECTING_PEOPLE.get("REVIEW_INTERVAL_WEEKS", 8)
    return datetime.timedelta(weeks=weeks)


def is_review_due(*, active_goals, last_review_at, oldest_active_set_on, now=None):
    """A review is due when there is something to rate and either the last review
    is older than the interval, or there has been none and an active goal was
    agreed longer ago than the interval."""
    return review_due_rule(now)(active_goals, last_review_at, oldest_active_set_on)


def review_due_rule(now=None):
    """:func:`is_review_due` as a function of (active goals, last review at,
    oldest active goal set on), with its cut-offs worked out once, for many people."""
    now = now or timezone.now()
    interval = review_interval()
    reviewed_before = now - interval
    set_before = timezone.localdate(now) - interval

    def due(active_goals, last_review_at, oldest_active_set_on):
        if not active_goals:
            return False
        if last_review_at is not None:
            return last_review_at < reviewed_before
        return oldest_active_set_on is not None and oldest_active_set_on < set_before

    return due


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


def goals_for(service_user, *, links=True):
    """The person's goals, each annotated with its last rating (``last_level``,
    ``last_note``, ``last_rated_at``), with steps and (with ``links``, for a
    goal's own page) the opportunities and network members it involves
    prefetched: 4 queries, 2 without links; ``replaced_by_title`` and
    ``replaced_by_public_id`` name the goal that replaced it. Read through the person's related
    manager, so each goal's ``service_user`` is ``service_user`` itself, not
    joined again."""
    goals = (
        service_user.goals.annotate(
            last_level=_last_rating("level"),
            last_note=_last_rating("note"),
            last_rated_at=_last_rating("review__reviewed_at"),
            # The goal that replaced it (always the same person's): its title
            # and id for a link, without reading it and its person whole.
            replaced_by_title=F("replaced_by__title"),
            replaced_by_public_id=F("replaced_by__public_id"),
        )
        .prefetch_related(Prefetch("steps", queryset=steps_ordered()))
        .order_by("set_on", "id")
    )
    return goals.prefetch_related("opportunities", "members") if links else goals


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


def latest_review_for(service_user):
    """The person's latest review (when, by whom, its T-score), or None: one
    query, without its ratings."""
    return (
        service_user.goal_reviews.select_related("reviewed_by")
        .only("service_user", "public_id", "reviewed_at", "t_score", *name_fields("reviewed_by"))
        .order_by("-reviewed_at", "-id")
        .first()
    )


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
        "active_goals_without_levels": 0,
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
    id → {"active_goals", "active_goals_with_levels" (all five levels
    described, :func:`has_levels_q`), "active_goals_without_levels",
    "review_count", "last_review_at", "latest_t_score", "review_due",
    "overdue_steps", "achieved_goals"}. Everyone asked about is in
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
            with_levels=Count("id", filter=active & has_levels_q()),
            without_levels=Count("id", filter=active & ~has_levels_q()),
            achieved=Count("id", filter=Q(status=GoalStatus.ACHIEVED)),
            oldest_active=Min("set_on", filter=active),
        )
        .order_by()
    ):
        summary = summaries[row["service_user_id"]]
        summary["active_goals"] = row["active_n"]
        summary["active_goals_with_levels"] = row["with_levels"]
        summary["active_goals_without_levels"] = row["without_levels"]
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


# What :func:`with_review_due` annotates, in the order :func:`review_due_rule` takes.
REVIEW_DUE_FIELDS = ("_has_active_goal", "_last_review_at", "_oldest_active_set_on")


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


def review_dates(people):
    """For each of ``people`` (a ServiceUser queryset, possibly already narrowed
    with ``values``): ``oldest_active_goal_set_on`` and ``last_review_at``, in
    one grouped query over joined goals and reviews (no lookup per person), for
    :func:`review_due_rule` (``active_goals`` is "the oldest is not None")."""
    return people.annotate(
        oldest_active_goal_set_on=Min("goals__set_on", filter=Q(goals__status=GoalStatus.ACTIVE)),
        last_review_at=Max("goal_reviews__reviewed_at"),
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


def _count_per_person(queryset, person_field="service_user"):
    """A subquery counting ``queryset``'s rows for the outer person (0 for none)."""
    counted = (
        queryset.filter(**{person_field: OuterRef("pk")})
        .order_by()
        .values(person_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_goal_flags(people, *, now=None):
    """Annotate a ServiceUser queryset with what the board's flags and the
    reminders need, in the same query: ``goals_without_levels`` and
    ``overdue_steps`` (counts of active goals and their open steps), and what
    :func:`annotated_review_due` reads."""
    now = now or timezone.now()
    active = Goal.objects.filter(status=GoalStatus.ACTIVE)
    overdue = Step.objects.filter(
        goal__status=GoalStatus.ACTIVE,
        done_on__isnull=True,
        due_on__lt=timezone.localdate(now),
    )
    return with_review_due(people, now=now).annotate(
        goals_without_levels=_count_per_person(active.exclude(has_levels_q())),
        overdue_steps=_count_per_person(overdue, "goal__service_user"),
    )


def annotated_review_due(person, *, rule=None):
    """Whether the goal review of a person from :func:`with_review_due` (or
    :func:`with_goal_flags`) is due: :func:`is_review_due` on what the query
    read, so each lookup runs once per person. ``rule``: a
    :func:`review_due_rule`, to share between many people."""
    return (rule or review_due_rule())(*(getattr(person, name) for name in REVIEW_DUE_FIELDS))


def with_goal_evidence(people, *, only=None):
    """Annotate a ServiceUser queryset with the evidence the cycle checks, each a boolean:
    ``has_goal_with_levels`` (an active goal with all five levels described),
    ``has_step_done``, ``has_goal_opportunity`` (a goal linked to a community
    opportunity) and ``has_review``; with ``only`` (names), just those of them."""
    person = OuterRef("pk")
    evidence = {
        "has_goal_with_levels": lambda: Exists(
            Goal.objects.filter(service_user=person, status=GoalStatus.ACTIVE).filter(
                has_levels_q()
            )
        ),
        "has_step_done": lambda: Exists(
            Step.objects.filter(goal__service_user=person, done_on__isnull=False)
        ),
        "has_goal_opportunity": lambda: Exists(
            Goal.opportunities.through.objects.filter(goal__service_user=person)
        ),
        "has_review": lambda: Exists(Review.objects.filter(service_user=person)),
    }
    return annotate_only(people, evidence, only)


def achieved_goal_count(people):
    """How many goals the people in a ServiceUser queryset have achieved, ever."""
    return Goal.objects.filter(service_user__in=people, status=GoalStatus.ACHIEVED).count()


def opportunity_links():
    """Every goal–directory listing link (rows with ``goal_id`` and ``service_id``),
    for counting how often a listing is used; no person data is read."""
    return Goal.opportunities.through.objects.all()


def active_goals_with_steps(service_user):
    """The person's active goals, oldest first, with their steps and the
    opportunities they involve (three queries)."""
    return (
        Goal.objects.filter(service_user=service_user, status=GoalStatus.ACTIVE)
        .prefetch_related(Prefetch("steps", queryset=steps_ordered()), "opportunities")
        .order_by("set_on", "id")
    )


# Practice fidelity (workflow.fidelity): figures per person, read grouped for many
# people or as subqueries of the people's own query (core.per_person).

# The public id of a goal with all five GAS levels described (any goal but one
# replaced by another).
GOAL_WITH_LEVELS = PerPerson(
    records=lambda: Goal.objects.exclude(status=GoalStatus.REPLACED).filter(has_levels_q()),
    person="service_user_id",
    value="public_id",
    order=("set_on", "id"),
)
# The public id of a goal linked to a community opportunity.
OPPORTUNITY_GOAL = PerPerson(
    records=lambda: Goal.opportunities.through.objects.all(),
    person="goal__service_user_id",
    value="goal__public_id",
    order=("goal__set_on", "goal_id"),
)
# The public id of a session about a goal that involves a community opportunity.
OPPORTUNITY_SESSION = PerPerson(
    records=lambda: SessionGoal.objects.filter(
        Exists(Goal.opportunities.through.objects.filter(goal_id=OuterRef("goal_id")))
    ),
    person="goal__service_user_id",
    value="session__public_id",
    order=("session__date", "session_id"),
)
# (steps the person does, steps the worker does).
STEP_OWNERS = PerPerson(
    records=lambda: Step.objects.all(),
    person="goal__service_user_id",
    counts={"by_person": Q(who=StepWho.PERSON), "by_worker": Q(who=StepWho.WORKER)},
)
# The public id of their latest goal review.
LATEST_REVIEW = PerPerson(
    records=lambda: Review.objects.all(),
    person="service_user_id",
    value="public_id",
    order=("-reviewed_at", "-id"),
)


def goals_page(person):
    """What the body of a person's goals page shows (``goals/_goal_list.html``):
    active goals with their level now and steps, ended goals, the last review
    and whether one is due, and today's date."""
    goals = list(goals_for(person, links=False))
    for goal in goals:
        goal.current_level = current_level(goal)
    active = [g for g in goals if g.is_active]
    ended = [g for g in goals if not g.is_active]
    last_review = latest_review_for(person)
    return {
        "active_goals": active,
        "ended_goals": ended,
        "last_review": last_review,
        "review_due": is_review_due(
            active_goals=len(active),
            last_review_at=last_review.reviewed_at if last_review else None,
            oldest_active_set_on=min((g.set_on for g in active), default=None),
        ),
        "review_interval_weeks": review_interval().days // 7,
        "today": timezone.localdate(),
    }
