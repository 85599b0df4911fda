from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from . import mfa
from .services import usersession_touch
from .signals import LAST_SEEN_KEY, SESSION_STARTED_KEY

# "Last seen" on the sessions page is refreshed at most this often (one UPDATE).
LAST_SEEN_EVERY_SECONDS = 300


class SessionLifetimeMiddleware:
    """End a signed-in session once it is older than ``SESSION_MAX_LIFETIME``.

    The idle limit is the cookie age, renewed on every request
    (``SESSION_SAVE_EVERY_REQUEST``); this adds the absolute limit, so a session
    kept busy all day still ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = timezone.now().timestamp()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_MAX_LIFETIME.total_seconds():
                logout(request)
                messages.info(request, "Your session has ended. Please sign in again.")
        return self.get_response(request)


class MFARequiredMiddleware:
    """Send a signed-in user whose role needs a second factor, and who has none,
    to set one up before any other page (the Django admin included).

    The set-up pages, signing out, re-entering the password, static files and
    ``/healthz`` stay reachable. The decision is read from the session (see
    ``accounts.mfa``), so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def allowed_prefixes(self):
        return (
            reverse("mfa_index"),
            reverse("account_reauthenticate"),
            reverse("accounts:logout"),
            reverse("healthz"),
            settings.STATIC_URL,
        )

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and mfa.setup_needed(request.session)
            and not request.path_info.startswith(self.allowed_prefixes)
        ):
            messages.warning(
                request,
                "Your role needs a second way to prove it is you. Set one up to continue.",
            )
            return redirect("mfa_index")
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keep "last seen" and the address of each signed-in session current for
    the "Your sessions" page, writing at most once every five minutes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.session_key:
            now = timezone.now()
            seen = request.session.get(LAST_SEEN_KEY, 0)
            if now.timestamp() - seen > LAST_SEEN_EVERY_SECONDS:
                usersession_touch(request=request, at=now)
                request.session[LAST_SEEN_KEY] = now.timestamp()
        return self.get_response(request)
