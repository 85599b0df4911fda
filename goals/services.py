"""Changes to goals, steps, reviews and session links. Views validate forms, then call these.

Every change is audited (field names only, never the text).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseload.audit import Action, audit_record
from core.conflicts import StaleEdit, save_if_current
from core.idempotency import create_once

from . import gas
from .models import Goal, GoalStatus, Rating, Review, SessionGoal, Step


def _changed_fields(instance, values):
    return [name for name, value in values.items() if getattr(instance, name) != value]


def _save_changes(model, *, stored, values, changed, expected_version):
    """Write ``values`` to ``stored`` with the conditional save when anything
    changed; a stale version raises :class:`core.conflicts.StaleEdit` either way."""
    if not changed:
        if stored.version != expected_version:
            raise StaleEdit(stored)
        return False
    stored.version = save_if_current(model, pk=stored.pk, version=expected_version, values=values)
    for name, value in values.items():
        setattr(stored, name, value)
    return True


def goal_create(
    *, service_user, by, values, opportunities=(), members=(), submission_token=None, request=None
):
    """Add a goal for the person. ``values`` are the model fields from the form."""

    def build(token):
        goal = Goal.objects.create(
            service_user=service_user,
            created_by=by,
            submission_token=token,
            **values,
        )
        goal.opportunities.set(opportunities)
        goal.members.set(members)
        links = [
            name
            for name, chosen in (("opportunities", opportunities), ("members", members))
            if chosen
        ]
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=goal,
            fields=[*values, *links],
            request=request,
        )
        return goal

    return create_once(
        Goal,
        belongs=lambda goal: goal.service_user_id == service_user.pk,
        submission_token=submission_token,
        build=build,
    )


@transaction.atomic
def goal_update(
    *, goal, by, values, opportunities=None, members=None, expected_version, request=None
):
    """Save changes to a goal, unless someone else saved it since ``expected_version``
    (then raise :class:`core.conflicts.StaleEdit` and change nothing). Ending a
    goal records the date it ended; making it active again clears that."""
    stored = Goal.objects.select_related("service_user").get(pk=goal.pk)
    values = dict(values)
    changed = _changed_fields(stored, values)
    links = {}
    for name, chosen in (("opportunities", opportunities), ("members", members)):
        if chosen is not None:
            before = set(getattr(stored, name).values_list("pk", flat=True))
            if before != {item.pk for item in chosen}:
                changed.append(name)
                links[name] = chosen
    status = values.get("status", stored.status)
    if status != GoalStatus.REPLACED:
        values["replaced_by"] = None
    if status == GoalStatus.ACTIVE:
        values["ended_on"] = None
    elif "status" in changed or stored.ended_on is None:
        values["ended_on"] = timezone.localdate()
    if not _save_changes(
        Goal, stored=stored, values=values, changed=changed, expected_version=expected_version
    ):
        return stored
    for name, chosen in links.items():
        getattr(stored, name).set(chosen)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=stored.service_user,
        obj=stored,
        fields=changed,
        request=request,
    )
    return stored


def step_create(*, goal, by, values, submission_token=None, request=None):
    def build(token):
        step = Step.objects.create(goal=goal, submission_token=token, **values)
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=goal.service_user,
            obj=step,
            fields=list(values),
            request=request,
            detail=f"goal {goal.public_id}",
        )
        return step

    return create_once(
        Step,
        belongs=lambda step: step.goal_id == goal.pk,
        submission_token=submission_token,
        build=build,
    )


@transaction.atomic
def step_update(*, step, by, values, expected_version, request=None):
    """Save changes to a step unless someone saved it since ``expected_version``."""
    stored = Step.objects.select_related("goal__service_user").get(pk=step.pk)
    changed = _changed_fields(stored, values)
    if not _save_changes(
        Step, stored=stored, values=values, changed=changed, expected_version=expected_version
    ):
        return stored
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=stored.goal.service_user,
        obj=stored,
        fields=changed,
        request=request,
    )
    return stored


@transaction.atomic
def step_set_done(*, step, by, done, request=None, today=None):
    """Mark a step done today (keeping an earlier done date) or not done."""
    locked = Step.objects.select_for_update().select_related("goal__service_user").get(pk=step.pk)
    new_value = (locked.done_on or today or timezone.localdate()) if done else None
    if new_value == locked.done_on:
        return locked
    locked.done_on = new_value
    locked.version += 1
    locked.save(update_fields=["done_on", "version", "updated_at"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=locked.goal.service_user,
        obj=locked,
        fields=["done_on"],
        request=request,
    )
    return locked


@transaction.atomic
def step_delete(*, step, by, request=None):
    service_user = step.goal.service_user
    audit_record(
        actor=by, action=Action.DELETE, service_user=service_user, obj=step, request=request
    )
    step.delete()


@transaction.atomic
def review_create(
    *, service_user, by, reviewed_at, ratings, note="", submission_token=None, request=None
):
    """Record one review rating every active goal of the person at once.

    ``ratings``: ``{goal: (level, note)}``. Refused (``ValidationError``) when a
    rated goal is not the person's, is not active, a level is outside −2..+2, or
    an active goal is left out. Stores each goal's weight with its rating and
    the review's T-score. A repeated ``submission_token`` returns the review the
    first submission saved. Returns ``(review, created)``.
    """

    def build(token):
        active = {
            g.pk: g
            for g in Goal.objects.select_for_update().filter(
                service_user=service_user, status=GoalStatus.ACTIVE
            )
        }
        errors = []
        for goal, (level, _note) in ratings.items():
            if goal.service_user_id != service_user.pk:
                errors.append("You can only rate this person's goals.")
            elif goal.pk not in active:
                errors.append(f"“{goal.title}” is not active, so it cannot be rated.")
            elif level not in gas.LEVELS:
                errors.append(f"Rate “{goal.title}” from −2 to +2.")
        missing = set(active) - {g.pk for g in ratings}
        if missing:
            errors.extend(f"Rate “{active[pk].title}” too." for pk in sorted(missing))
        if not active:
            errors.append("There are no active goals to review.")
        if errors:
            raise ValidationError(errors)
        rows = [(active[goal.pk], level, text) for goal, (level, text) in ratings.items()]
        score = gas.t_score([level for _g, level, _t in rows], [g.weight for g, _l, _t in rows])
        review = Review.objects.create(
            service_user=service_user,
            reviewed_at=reviewed_at,
            reviewed_by=by,
            note=note,
            t_score=score,
            submission_token=token,
        )
        Rating.objects.bulk_create(
            Rating(review=review, goal=goal, level=level, weight=goal.weight, note=text)
            for goal, level, text in rows
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=review,
            fields=["ratings", "reviewed_at", *(["note"] if note else [])],
            request=request,
        )
        return review

    return create_once(
        Review,
        submission_token=submission_token,
        belongs=lambda review: review.service_user_id == service_user.pk,
        build=build,
    )


@transaction.atomic
def session_set_goals(*, session, goals, by, request=None):
    """Record which of the person's goals a session worked on (replacing the set)."""
    wanted = {g.pk for g in goals}
    for goal in goals:
        if goal.service_user_id != session.service_user_id:
            raise ValidationError("You can only link this person's goals.")
    current = set(SessionGoal.objects.filter(session=session).values_list("goal_id", flat=True))
    if wanted == current:
        return False
    SessionGoal.objects.filter(session=session, goal_id__in=current - wanted).delete()
    SessionGoal.objects.bulk_create(
        [SessionGoal(session=session, goal_id=pk) for pk in wanted - current],
        ignore_conflicts=True,
    )
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=session.service_user,
        obj=session,
        fields=["goals"],
        request=request,
    )
    return True


@transaction.atomic
def goal_add_opportunity(*, goal, service, by, request=None):
    """Link a directory listing to a goal (from the directory's "suggest" page).

    Moves the goal's version on, so a goal edit open elsewhere (which posts its
    own list of opportunities) shows a conflict rather than dropping this link.
    Returns False when the listing was already linked.
    """
    if goal.opportunities.filter(pk=service.pk).exists():
        return False
    goal.opportunities.add(service)
    Goal.objects.filter(pk=goal.pk).update(version=F("version") + 1, updated_at=timezone.now())
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=goal.service_user,
        obj=goal,
        fields=["opportunities"],
        request=request,
    )
    return True
