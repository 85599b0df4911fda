"""Who may see and change a person's records. The one place these rules live.

DESIGN.md §6:

| who        | sees person records                                  | changes them              |
|------------|------------------------------------------------------|---------------------------|
| worker     | people allocated to them or where they co-work       | same                      |
| supervisor | everyone in the teams they supervise                 | same; reallocate; close   |
| curator    | none (unless also a worker or supervisor)            | none                      |
| admin      | none by default                                      | none                      |

Erasure is the one exception for administrators: they may approve (and carry
out) an erasure request of any team, seeing the request (reference, team,
reason), never the record itself. See :func:`get_erasure_request_for`.

A worker's access also needs a current worker role in the person's team, so it
ends when they leave the team. Everyone else gets a 404: whether a record exists
is not revealed. Every view and query touching person data goes through here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404

from core.lookups import InSmallSubquery

from .data_versions import with_data_version
from .models import ErasureRequest, ServiceUser, Session


def _can_use_person_data(user):
    return user is not None and user.is_authenticated and user.is_active


def _co_worked(user):
    """The people ``user`` co-works (a handful), as a condition on their id: a
    subquery the database runs once and looks up in the primary key, so that
    OR-ed with the allocated worker it reads two indexes rather than scanning
    whole teams (:class:`core.lookups.InSmallSubquery`)."""
    co_worked = ServiceUser.co_workers.through.objects.filter(user_id=user.pk).values(
        "serviceuser_id"
    )
    return InSmallSubquery(F("pk"), co_worked)


def visible_service_users(user):
    """People whose records ``user`` may see (and, by the rules above, change)."""
    if not _can_use_person_data(user):
        return ServiceUser.objects.none()
    condition = Q(pk__in=[])
    if user.worker_team_ids:
        condition |= Q(team_id__in=user.worker_team_ids, allocated_worker_id=user.pk)
        condition |= Q(_co_worked(user), team_id__in=user.worker_team_ids)
    if user.supervised_team_ids:
        condition |= Q(team_id__in=user.supervised_team_ids)
    return ServiceUser.objects.filter(condition)


def worked_on_by(user):
    """The people ``user`` works on directly (allocated to them or co-worked)
    whom they may see: those in teams where they are a worker or supervisor.

    The same people as ``visible_service_users(user)`` narrowed to the allocated
    and co-worked."""
    if not _can_use_person_data(user):
        return ServiceUser.objects.none()
    teams = set(user.worker_team_ids) | set(user.supervised_team_ids)
    if not teams:
        return ServiceUser.objects.none()
    condition = Q(allocated_worker_id=user.pk) | Q(_co_worked(user))
    return ServiceUser.objects.filter(condition, team_id__in=teams)


def can_see_person(user, service_user):
    """True when ``user`` may see ``service_user``'s record (one query)."""
    return visible_service_users(user).filter(pk=service_user.pk).exists()


def get_service_user_for(user, public_id, *, write=False):
    """The person with ``public_id`` if ``user`` may see it (or change it, with
    ``write``), else 404. Read and write access are the same today; ``write``
    keeps call sites honest for when they differ. The person's data version is
    read with them (``data_version``), for the parts of their pages kept while
    it is unchanged (:mod:`caseload.kept`)."""
    try:
        person = with_data_version(
            visible_service_users(user).select_related("team", "allocated_worker")
        ).get(public_id=public_id)
    except (ServiceUser.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such person") from exc
    person._seen_by = user.pk
    return person


def fetched_for(user, service_user):
    """True when ``service_user`` is the very object :func:`get_service_user_for`
    returned to ``user`` (in this request): reads about the person that would
    repeat the access rules as a guard may skip them."""
    user_pk = getattr(user, "pk", None)
    return user_pk is not None and getattr(service_user, "_seen_by", None) == user_pk


def supervises(user, service_user):
    """True when ``user`` supervises the person's team (may reallocate and close)."""
    return _can_use_person_data(user) and service_user.team_id in user.supervised_team_ids


def require_supervisor_of(user, service_user):
    """403 (``PermissionDenied``) unless ``user`` supervises the person's team.

    For actions only the team's supervisor takes (close, reopen, reallocate,
    delete a session, read the access log), on a person the user can see.
    """
    if not supervises(user, service_user):
        raise PermissionDenied("Only the team's supervisor can do this.")


def get_session_for(user, service_user, public_id):
    """A session of a person the user may already see, or 404."""
    try:
        return Session.objects.select_related("author", "group").get(
            service_user=service_user, public_id=public_id
        )
    except (Session.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such session") from exc


def can_edit_session(user, session, *, today=None):
    """Authors may edit their session for 7 days after logging it; supervisors always.

    The window runs from when the session was logged, not the date it is about,
    so changing the session's date cannot extend it.
    """
    from django.utils import timezone

    if supervises(user, session.service_user):
        return True
    today = today or timezone.localdate()
    logged_on = timezone.localdate(session.created_at)
    return session.author_id == user.pk and (today - logged_on).days <= 7


def require_can_edit_session(user, session):
    """403 (``PermissionDenied``) unless :func:`can_edit_session` allows ``user``
    to change ``session`` (or what it records, such as the goals it worked on)."""
    if not can_edit_session(user, session):
        raise PermissionDenied(
            "Sessions can be changed by their author for 7 days after logging them, "
            "and by supervisors."
        )


def _is_admin(user):
    return _can_use_person_data(user) and user.is_staff


def get_erasure_request_for(user, public_id, erasure_id):
    """An erasure request of the person with ``public_id``, for a supervisor of
    the person's team or an administrator; 404 for anyone else (and once the
    person has been erased, as the request no longer points to them)."""
    if not _can_use_person_data(user):
        raise Http404("No such request")
    requests = ErasureRequest.objects.select_related(
        "service_user__team", "requested_by", "decided_by"
    ).filter(service_user__public_id=public_id)
    if not _is_admin(user):
        requests = requests.filter(service_user__team_id__in=user.supervised_team_ids)
    try:
        return requests.get(public_id=erasure_id)
    except (ErasureRequest.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such request") from exc


def visible_erasure_requests(user):
    """Erasure requests and tombstones a user may list: their supervised teams'
    (kept by team after the person is gone), or every team's for administrators."""
    if not _can_use_person_data(user):
        return ErasureRequest.objects.none()
    if _is_admin(user):
        return ErasureRequest.objects.all()
    return ErasureRequest.objects.filter(team_id__in=user.supervised_team_ids)


def can_handle_erasure(user, erasure):
    """Supervisors of the person's team and administrators handle erasures."""
    team_id = erasure.service_user.team_id if erasure.service_user_id else erasure.team_id
    return _is_admin(user) or (_can_use_person_data(user) and team_id in user.supervised_team_ids)


def can_decide_erasure(user, erasure):
    """A second person decides: anyone who may handle it, except who asked."""
    return can_handle_erasure(user, erasure) and erasure.requested_by_id != user.pk
