from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone

from .signals import SESSION_STARTED_KEY


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
