"""Group sessions: one session logged for several people.

The group (date, duration, place or opportunity, notes about the group) is a
:class:`caseload.models.GroupSession`; each attendee gets an ordinary caseload
session linked to it, holding only their own note, so their contact dates,
session list, journey, subject access copy and erasure work as for any
session. Goals worked on use the goals app's session–goal link. This module
spans caseload and goals, so it lives here (safety may import goals, as goals
may import networks; never the reverse).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from caseload.access import supervises, visible_service_users
from caseload.audit import Action, audit_record
from caseload.models import GroupSession, Session, SessionKind, Status
from caseload.services import service_user_refresh_contact_dates, session_create
from core.conflicts import save_if_current
from core.idempotency import create_once
from goals.models import Goal, GoalStatus
from goals.services import session_set_goals

GROUP_FIELDS = ("date", "start_time", "duration_minutes", "place", "opportunity", "notes")


def group_people(user):
    """Whom a user may add to a group session: their open cases."""
    return (
        visible_service_users(user)
        .exclude(status=Status.CLOSED)
        .select_related("team")
        .order_by("preferred_name", "id")
    )


def group_goals(people):
    """The active goals of ``people``, with their person (one query)."""
    return (
        Goal.objects.filter(service_user__in=people, status=GoalStatus.ACTIVE)
        .select_related("service_user")
        .order_by("service_user__preferred_name", "id")
    )


@transaction.atomic
def group_session_create(*, by, values, attendees, submission_token=None, request=None):
    """Log a group session and one session for each attendee, in one transaction.

    ``attendees``: ``[(person public_id, attended, note, [goal public ids])]``.
    Naming a person ``by`` may not see, or the same person twice, is refused
    (``PermissionDenied`` / ``ValidationError``) with nothing saved. A repeated
    ``submission_token`` returns the group session it created the first time.
    Returns ``(group, created)``. A fixed number of queries per attendee.
    """
    if not attendees:
        raise ValidationError("Add at least one person to the group session.")
    ids = [public_id for public_id, *_rest in attendees]
    if len(set(ids)) != len(ids):
        raise ValidationError("The same person is in the group session twice.")
    people = {str(p.public_id): p for p in group_people(by).filter(public_id__in=ids)}
    if len(people) != len(ids):
        raise PermissionDenied("You can only add people you work with.")
    wanted_goals = {goal_id for *_rest, goal_ids in attendees for goal_id in goal_ids}
    goals = {
        str(goal.public_id): goal
        for goal in group_goals(people.values()).filter(public_id__in=wanted_goals)
    }

    def build(token):
        group = GroupSession(
            author=by,
            submission_token=token,
            **{name: values[name] for name in GROUP_FIELDS if name in values},
        )
        group.full_clean()
        group.save()
        return group

    group, created = create_once(
        GroupSession,
        submission_token=submission_token,
        build=build,
        belongs=lambda record: record.author_id == by.pk,
    )
    if not created:
        return group, False
    for public_id, attended, note, goal_ids in attendees:
        person = people[public_id]
        session, _created = session_create(
            service_user=person,
            by=by,
            group=group,
            data={
                "date": group.date,
                "start_time": group.start_time,
                "duration_minutes": group.duration_minutes,
                "kind": SessionKind.GROUP if attended else SessionKind.DID_NOT_ATTEND,
                "stage": person.stage,
                "what_we_did": note,
            },
            request=request,
        )
        chosen = [goals[goal_id] for goal_id in goal_ids if goal_id in goals]
        if any(goal.service_user_id != person.pk for goal in chosen):
            raise ValidationError("A goal of someone else was chosen for this person.")
        if chosen:
            session_set_goals(session=session, goals=chosen, by=by, request=request)
    return group, True


def attendances_seen_by(user, group):
    """The group's sessions of people ``user`` may see, and how many others came."""
    sessions = list(
        Session.objects.filter(group=group)
        .select_related("service_user")
        .order_by("service_user__preferred_name", "id")
    )
    visible = set(
        visible_service_users(user)
        .filter(pk__in=[s.service_user_id for s in sessions])
        .values_list("pk", flat=True)
    )
    mine = [s for s in sessions if s.service_user_id in visible]
    return mine, len(sessions) - len(mine)


def can_edit_group(user, group, seen_sessions):
    """The author, or a supervisor of one of the people in it."""
    if group.author_id == user.pk:
        return True
    return any(supervises(user, session.service_user) for session in seen_sessions)


@transaction.atomic
def group_session_update(*, group, by, values, expected_version, changed=(), request=None):
    """Save the group's details if nobody saved them since ``expected_version``
    (else :class:`core.conflicts.StaleEdit`, nothing written). The date, time and
    duration are copied to every attendee's session, whose contact dates are
    refreshed."""
    values = {name: values[name] for name in GROUP_FIELDS if name in values}
    group.version = save_if_current(
        GroupSession, pk=group.pk, version=expected_version, values=values
    )
    for name, value in values.items():
        setattr(group, name, value)
    shared = {name: values[name] for name in ("date", "start_time", "duration_minutes")}
    sessions = list(Session.objects.filter(group=group).select_related("service_user"))
    Session.objects.filter(group=group).update(**shared)
    for session in sessions:
        service_user_refresh_contact_dates(service_user=session.service_user)
        if changed:
            audit_record(
                actor=by,
                action=Action.UPDATE,
                service_user=session.service_user,
                obj=group,
                fields=changed,
                request=request,
            )
    return group
