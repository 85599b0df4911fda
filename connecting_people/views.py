import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .navigation import roles_for

logger = logging.getLogger(__name__)

# Seconds a client is told to wait while the database is unreachable.
RETRY_AFTER_SECONDS = 60


def home(request):
    return render(request, "home.html", {"roles": roles_for(request.user)})


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return health_unavailable()
    return JsonResponse({"status": "ok", "database": "up"})


def health_unavailable():
    return JsonResponse({"status": "unavailable", "database": "down"}, status=503)


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


@login_not_required
def admin_login(request):
    """The Django admin's own sign-in would skip the second factor: use ours."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


def back_link(request):
    """Where the user came from, if it was a page of this site; else None."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return None


def _error_page(request, template, status, **context):
    return render(request, template, {"back_url": back_link(request), **context}, status=status)


@login_not_required
def error_400(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _error_page(request, "413.html", 413, limit=limit)
    return _error_page(request, "400.html", 400)


@login_not_required
def error_403(request, exception=None):
    return _error_page(request, "403.html", 403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def is_database_unavailable(exc):
    """A failure to reach the database (not a bad query)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable_response(request):
    """The 503 page, rendered without the request: no session, no user, no
    context processors, so nothing here touches the database. (``/healthz``
    keeps its JSON answer even when the failure came first, in a middleware.)"""
    if request.path_info == reverse("healthz"):
        return health_unavailable()
    body = loader.get_template("503.html").render({"retry_minutes": RETRY_AFTER_SECONDS // 60})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store, private"
    return response


@login_not_required
def error_500(request):
    exc = sys.exc_info()[1]
    if exc is not None and is_database_unavailable(exc):
        logger.warning("Database unreachable; answered 503 for %s", request.path)
        return database_unavailable_response(request)
    # Rendered without context processors: a fault may lie in them.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))
