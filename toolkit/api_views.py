"""Read-only Open Referral UK API over our directory (see ../shared/reference/oruk/openapi.json).

Public or sign-in only according to ``CONNECTING_PEOPLE["ORUK_FEED_PUBLIC"]``, read
at request time. The views are exempt from LoginRequiredMiddleware and check the
setting themselves, so changing it needs no restart.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from . import oruk_feed, selectors
from .models import DAY_LABELS, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .search import clean_query, search

OPENAPI_URL = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"


def feed_is_public():
    return bool(settings.CONNECTING_PEOPLE.get("ORUK_FEED_PUBLIC", False))


def oruk_endpoint(view):
    @login_not_required
    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not feed_is_public() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(request, *args, **kwargs)
        if feed_is_public():
            response["Access-Control-Allow-Origin"] = "*"
        else:
            response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _not_found(what):
    return _json({"detail": f"No {what} with that id."}, status=404)


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@oruk_endpoint
def index(request):
    return _json(
        {
            "version": oruk_feed.HSDS_VERSION,
            "profile": oruk_feed.PROFILE_URL,
            "openapi_url": OPENAPI_URL,
        }
    )


@oruk_endpoint
def services(request):
    params = request.GET
    queryset = selectors.feed_services()
    term_id = _uuid(params.get("taxonomy_term_id") or "-")
    if term_id:
        queryset = queryset.filter(categories__public_id=term_id)
    taxonomy_id = _uuid(params.get("taxonomy_id") or "-")
    if taxonomy_id:
        queryset = queryset.filter(categories__taxonomy__public_id=taxonomy_id).distinct()
    day = params.get("day", "").upper()[:2]
    if day in DAY_LABELS:
        queryset = queryset.filter(schedules__byday__icontains=day).distinct()
    queryset = search(queryset, clean_query(params.get("search", "")), rank_first=False)
    return _json(oruk_feed.paginated(queryset.order_by("name", "id"), params, _service_doc))


def _service_doc(service):
    return oruk_feed.service_document(service)


@oruk_endpoint
def service(request, id):
    public_id = _uuid(id)
    found = selectors.feed_services().filter(public_id=public_id).first() if public_id else None
    if found is None:
        return _not_found("service")
    return _json(oruk_feed.service_document(found))


def _links():
    services_qs = selectors.feed_services()
    return ServiceAtLocation.objects.select_related("location").prefetch_related(
        "location__accessibility",
        Prefetch("service", queryset=services_qs),
    )


@oruk_endpoint
def service_at_locations(request):
    queryset = _links()
    text = clean_query(request.GET.get("search", ""))
    if text:
        queryset = queryset.filter(
            Q(service__name__icontains=text)
            | Q(location__name__icontains=text)
            | Q(location__city__icontains=text)
            | Q(location__postal_code__icontains=text)
        )
    return _json(
        oruk_feed.paginated(
            queryset.order_by("id"), request.GET, oruk_feed.service_at_location_document
        )
    )


@oruk_endpoint
def service_at_location(request, id):
    public_id = _uuid(id)
    found = _links().filter(public_id=public_id).first() if public_id else None
    if found is None:
        return _not_found("service at location")
    return _json(oruk_feed.service_at_location_document(found))


@oruk_endpoint
def taxonomies(request):
    queryset = Taxonomy.objects.order_by("name", "id")
    text = clean_query(request.GET.get("search", ""))
    if text:
        queryset = queryset.filter(name__icontains=text)
    return _json(oruk_feed.paginated(queryset, request.GET, oruk_feed.taxonomy_document))


@oruk_endpoint
def taxonomy(request, id):
    public_id = _uuid(id)
    found = Taxonomy.objects.filter(public_id=public_id).first() if public_id else None
    if found is None:
        return _not_found("taxonomy")
    return _json(oruk_feed.taxonomy_document(found))


@oruk_endpoint
def taxonomy_terms(request):
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by("name", "id")
    text = clean_query(request.GET.get("search", ""))
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(description__icontains=text))
    taxonomy_id = _uuid(request.GET.get("taxonomy_id") or "-")
    if taxonomy_id:
        queryset = queryset.filter(taxonomy__public_id=taxonomy_id)
    if request.GET.get("root_only") in ("true", "1"):
        queryset = queryset.filter(parent_public_id__isnull=True)
    return _json(oruk_feed.paginated(queryset, request.GET, oruk_feed.term_document))


@oruk_endpoint
def taxonomy_term(request, id):
    public_id = _uuid(id)
    found = (
        TaxonomyTerm.objects.select_related("taxonomy").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if found is None:
        return _not_found("taxonomy term")
    return _json(oruk_feed.term_document(found))
