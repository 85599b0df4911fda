"""Sign-in security actions: sessions, second-factor resets, refused-access records."""

import logging

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.helpers import get_client_ip_address
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import AccessDeniedEvent, SecurityEvent, User

access_logger = logging.getLogger("connecting_people.access_denied")


def client_address(request):
    """The client's address, as django-axes finds it (AXES_PROXY_COUNT)."""
    return get_client_ip_address(request) or None


def usersession_touch(*, request, at):
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=at,
        ip=client_address(request) or "0.0.0.0",  # noqa: S104 - a value, not a bind
    )


def usersessions_live(user):
    """The user's signed-in sessions, newest activity first (three queries at most).

    A session is live when its row still exists, has not expired, and still
    belongs to this user with the current password (a password change or a
    sign-out ends the others); the records of ended ones are removed.
    """
    rows = list(UserSession.objects.filter(user_id=user.pk).order_by("-last_seen_at"))
    if not rows:
        return []
    stored = Session.objects.filter(
        session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
    ).values_list("session_key", "session_data")
    auth_hash = user.get_session_auth_hash()
    live_keys = set()
    for key, data in stored:
        decoded = SessionStore().decode(data)
        if str(decoded.get(SESSION_KEY)) == str(user.pk) and constant_time_compare(
            decoded.get(HASH_SESSION_KEY, ""), auth_hash
        ):
            live_keys.add(key)
    ended = [row.pk for row in rows if row.session_key not in live_keys]
    if ended:
        UserSession.objects.filter(pk__in=ended).delete()
    return [row for row in rows if row.session_key in live_keys]


def _end(keys):
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()


@transaction.atomic
def usersession_end(*, user, session_id, current_key):
    """Sign out one of the user's other sessions. Returns False if there is no such
    session (another user's, the current one, or already ended)."""
    row = (
        UserSession.objects.filter(user_id=user.pk, pk=session_id)
        .exclude(session_key=current_key)
        .first()
    )
    if row is None:
        return False
    _end([row.session_key])
    return True


@transaction.atomic
def usersessions_end_others(*, user, current_key):
    """Sign out every session of the user except this one; returns how many."""
    keys = list(
        UserSession.objects.filter(user_id=user.pk)
        .exclude(session_key=current_key)
        .values_list("session_key", flat=True)
    )
    _end(keys)
    return len(keys)


@transaction.atomic
def user_mfa_reset(*, user, actor, address):
    """Remove every second factor of ``user`` (apps, keys, recovery codes), sign
    them out everywhere, and record who did it. If their role needs MFA they
    set up a new factor at their next sign-in."""
    removed, _ = Authenticator.objects.filter(user_id=user.pk).delete()
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_key", flat=True))
    _end(keys)
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.MFA_RESET,
        user=user,
        username=user.get_username(),
        actor=actor,
        address=address,
    )
    return removed


def access_denied_record(*, request, status):
    """Record a refused request (one INSERT) and log it at WARNING. Only who,
    path, method, status, time and address: no query string, no content."""
    user = request.user if request.user.is_authenticated else None
    address = client_address(request)
    path = request.path[:500]
    AccessDeniedEvent.objects.create(
        user=user, path=path, method=request.method[:10], status=status, address=address
    )
    access_logger.warning(
        "Refused %s %s with %s for user %s from %s",
        request.method,
        path,
        status,
        user.pk if user else "anonymous",
        address,
    )


def user_set_phone(*, user, phone):
    """Save a user's own work phone."""
    User.objects.filter(pk=user.pk).update(phone=phone)
    user.phone = phone
