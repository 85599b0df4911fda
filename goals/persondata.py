"""What the goals app holds about a person, for :mod:`caseload.persondata`:
goals with their levels and steps, the sessions that worked on them, and reviews."""

from django.db.models import Prefetch

from networks.persondata import member_pseudonyms

from .models import Goal, Rating, Review, SessionGoal, Step, StepWho, level_display

SOMEONE_ELSE = "Someone else"


def _level(level):
    return level_display(level) if level is not None else None


def export_person(service_user, *, reveal_third_parties=False):
    """Goals, steps and reviews as plain data. Network members a goal involves
    are named by their pseudonym, and a step's "someone else" by that phrase,
    unless ``reveal_third_parties``."""
    names = None if reveal_third_parties else member_pseudonyms(service_user)
    goals = (
        Goal.objects.filter(service_user=service_user)
        .select_related("replaced_by")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.order_by("due_on", "id")),
            "opportunities",
            "members",
            Prefetch(
                "session_links",
                queryset=SessionGoal.objects.select_related("session").order_by("session__date"),
            ),
        )
        .order_by("set_on", "id")
    )
    exported_goals = []
    for goal in goals:
        exported_goals.append(
            {
                "goal": goal.title,
                "area_of_life": goal.get_domain_display(),
                "why_it_matters": goal.why_it_matters,
                "agreed_on": goal.set_on.isoformat(),
                "target_date": goal.target_date.isoformat() if goal.target_date else None,
                "status": goal.get_status_display(),
                "ended_on": goal.ended_on.isoformat() if goal.ended_on else None,
                "replaced_by": goal.replaced_by.title if goal.replaced_by_id else None,
                "levels": {
                    f"{level_display(level)}: {label}": text for level, label, text in goal.levels
                },
                "level_at_the_start": _level(goal.baseline_level),
                "importance": goal.importance,
                "difficulty": goal.difficulty,
                "weight": goal.weight,
                "community_opportunities": [o.name for o in goal.opportunities.all()],
                "who_and_what_it_involves": [
                    m.label if names is None else names.get(str(m.public_id), "Someone")
                    for m in goal.members.all()
                ],
                "steps": [_step(step, reveal_third_parties) for step in goal.steps.all()],
                "sessions_that_worked_on_it": [
                    link.session.date.isoformat() for link in goal.session_links.all()
                ],
            }
        )
    reviews = (
        Review.objects.filter(service_user=service_user)
        .select_related("reviewed_by")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.select_related("goal").order_by("goal_id"))
        )
        .order_by("reviewed_at", "id")
    )
    return {
        "goals": exported_goals,
        "reviews": [
            {
                "reviewed_at": review.reviewed_at.isoformat(),
                "reviewed_by": str(review.reviewed_by),
                "overall_note": review.note,
                "t-score": round(review.t_score, 2) if review.t_score is not None else None,
                "ratings": [
                    {
                        "goal": rating.goal.title,
                        "level": _level(rating.level),
                        "weight": rating.weight,
                        "note": rating.note,
                    }
                    for rating in review.ratings.all()
                ],
            }
            for review in reviews
        ],
    }


def _step(step, reveal_third_parties):
    if step.who == StepWho.OTHER and not reveal_third_parties:
        who = SOMEONE_ELSE
    else:
        who = step.who_display
    return {
        "what": step.what,
        "who": who,
        "due_on": step.due_on.isoformat() if step.due_on else None,
        "done_on": step.done_on.isoformat() if step.done_on else None,
    }


def erase_people(service_users):
    """Delete the people's goals and everything hanging from them (inside the
    erasure). Children first, so each delete is one query."""
    goals = Goal.objects.filter(service_user__in=service_users)
    SessionGoal.objects.filter(goal__service_user__in=service_users).delete()
    Rating.objects.filter(review__service_user__in=service_users).delete()
    Rating.objects.filter(goal__service_user__in=service_users).delete()
    Step.objects.filter(goal__service_user__in=service_users).delete()
    Review.objects.filter(service_user__in=service_users).delete()
    Goal.members.through.objects.filter(goal__service_user__in=service_users).delete()
    Goal.opportunities.through.objects.filter(goal__service_user__in=service_users).delete()
    goals.exclude(replaced_by=None).update(replaced_by=None)
    goals.delete()


def erase_person(service_user):
    erase_people([service_user])
