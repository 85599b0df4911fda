import logging
import re
import sys

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.template.loader import render_to_string

from accounts.services import access_denied_record

from .views import database_unavailable_response, is_database_unavailable

logger = logging.getLogger(__name__)

# A person's pages: /people/<uuid>/...
PERSON_URL = re.compile(r"^/people/[0-9a-fA-F-]{36}/")


class MethodNotAllowedPageMiddleware:
    """Give Django's empty 405 responses (from ``require_http_methods``) a page in
    the site's layout that says what happened, keeping the status and Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class AdminInlineStyleMiddleware:
    """The Django admin's own scripts (jQuery and its widgets, Django 5.2) set
    inline styles, which ``style-src 'self'`` blocks. On the admin's pages only,
    inline *styles* are allowed; scripts stay ``'self'`` everywhere. Sits just
    inside django-csp's middleware, which reads ``_csp_update`` on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/"):
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store, private`` on every response to a browser that
    holds a session, so no page of a signed-in user (person data included) is
    kept by the browser or a proxy. Decided from the cookie alone: no query.
    Static files are served before this (whitenoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = settings.SESSION_COOKIE_NAME
        if name in request.COOKIES or name in response.cookies:
            current = response.get("Cache-Control", "")
            if "no-store" not in current or "private" not in current:
                response["Cache-Control"] = "no-store, private"
        return response


@receiver(got_request_exception)
def note_database_unavailable(sender, request=None, **kwargs):
    """Mark a request whose failure was the database being unreachable, wherever
    it happened (a view, or a middleware loading the session or the user)."""
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        request._database_unavailable = True


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with ``Retry-After`` and
    a page in the layout instead of a 500, in development and production alike.

    Views' exceptions are caught in ``process_exception``; a failure inside a
    middleware (loading the session or the user) becomes a 500 on its way out,
    marked by ``note_database_unavailable``, and is replaced here. The next
    request connects afresh, so pages work again as soon as the database is
    back, without restarting the app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_database_unavailable", False):
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.warning("Database unreachable; answered 503 for %s", request.path)
            return database_unavailable_response(request)
        return None


class AccessDeniedLogMiddleware:
    """Record every 403, and every 404 on a person's pages, as an access-denied
    event (accounts.AccessDeniedEvent) and a WARNING log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status == 403 or (status == 404 and PERSON_URL.match(request.path_info)):
            access_denied_record(request=request, status=status)
        return response
