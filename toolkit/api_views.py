"""Read-only Open Referral UK API over our directory (see ../shared/reference/oruk/openapi.json).

Directory data is public information, so the feed is public by default
(``CONNECTING_PEOPLE["ORUK_FEED_PUBLIC"]``, ``CP_ORUK_FEED_PUBLIC=0`` turns it
off; read at request time, so changing it needs no restart). When public it
answers cross-origin GET requests (CORS). The views are exempt from
LoginRequiredMiddleware and from CSRF (they never change anything): a method the
API does not support answers 405 with an ``Allow`` header, and a malformed query
parameter 400 with a JSON error naming it.

Withdrawn listings (gone from the feed they came from) are not published.
"""

import datetime
import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.db.models import Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import oruk_feed, selectors
from .models import DAY_LABELS, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .oruk_feed import BadParameter
from .search import clean_query, search

OPENAPI_URL = "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
DAY_NAMES = {label.lower(): code for code, label in DAY_LABELS.items()}


def feed_is_public():
    return bool(settings.CONNECTING_PEOPLE.get("ORUK_FEED_PUBLIC", True))


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
    response["Access-Control-Max-Age"] = "86400"
    return response


# A feed page larger than this is built every time rather than kept.
KEEP_UP_TO_BYTES = 256 * 1024


def _keep_seconds():
    return settings.CONNECTING_PEOPLE.get("ORUK_FEED_CACHE_SECONDS", 0)


def _page_key(request):
    """The page a GET asks for, whatever the order of its parameters."""
    query = sorted(request.GET.lists())
    return "oruk:" + hashlib.sha256(repr((request.path, query)).encode()).hexdigest()


def _kept_copy(request):
    """This instance's copy of the page asked for, if it built one within
    ``ORUK_FEED_CACHE_SECONDS`` (the feed is public data, the same for everyone)."""
    if not _keep_seconds():
        return None
    body = caches["feed"].get(_page_key(request))
    if body is None:
        return None
    return HttpResponse(body, content_type="application/json")


def _keep(request, response):
    seconds = _keep_seconds()
    if seconds and response.status_code == 200 and len(response.content) <= KEEP_UP_TO_BYTES:
        caches["feed"].set(_page_key(request), response.content, seconds)
    return response


def oruk_endpoint(view):
    @csrf_exempt
    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        public = feed_is_public()
        if request.method not in ALLOWED_METHODS:
            response = _json(
                {"detail": f"This API is read-only: {request.method} is not supported."},
                status=405,
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        elif request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        elif not public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        else:
            try:
                response = _kept_copy(request) or _keep(request, view(request, *args, **kwargs))
            except BadParameter as error:
                response = _json(
                    {"detail": error.message, "parameter": error.parameter}, status=400
                )
        if public:
            _cors(response)
        else:
            response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _not_found(what):
    return _json({"detail": f"No {what} with that id."}, status=404)


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _time(params, name):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        if len(raw) not in (5, 8) or not raw.isascii():
            raise ValueError
        return datetime.time.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"{name} must be a time of day as HH:MM, like 09:30.") from None


def _age(params, name):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not (0 <= value <= 200):
        raise BadParameter(name, f"{name} must be an age in years, from 0 to 200.")
    return value


def _day(params):
    raw = params.get("day", "").strip()
    if not raw:
        return None
    code = raw.upper() if raw.upper() in DAY_LABELS else DAY_NAMES.get(raw.lower())
    if code is None:
        raise BadParameter(
            "day", "day must be a day of the week: MO, TU, WE, TH, FR, SA or SU (or its name)."
        )
    return code


def _filter_services(queryset, params, prefix=""):
    """The filters services and services at locations share (``prefix`` leads
    from a service at location to its service)."""
    # Our ids are UUIDs: any other id matches nothing (the API types ids as strings).
    if params.get("taxonomy_term_id"):
        term_id = _uuid(params["taxonomy_term_id"])
        queryset = (
            queryset.filter(**{f"{prefix}categories__public_id": term_id})
            if term_id
            else queryset.none()
        )
    if params.get("taxonomy_id"):
        taxonomy_id = _uuid(params["taxonomy_id"])
        lookup = f"{prefix}categories__taxonomy__public_id"
        queryset = queryset.filter(**{lookup: taxonomy_id}) if taxonomy_id else queryset.none()
    minimum = _age(params, "minimum_age")
    if minimum is not None:
        queryset = queryset.filter(**{f"{prefix}minimum_age__gte": minimum})
    maximum = _age(params, "maximum_age")
    if maximum is not None:
        queryset = queryset.filter(**{f"{prefix}maximum_age__lte": maximum})
    start = _time(params, "start_time")
    if start is not None:
        queryset = queryset.filter(**{f"{prefix}schedules__opens_at__gte": start})
    end = _time(params, "end_time")
    if end is not None:
        queryset = queryset.filter(**{f"{prefix}schedules__closes_at__lte": end})
    day = _day(params)
    if day:
        queryset = queryset.filter(**{f"{prefix}schedules__byday__icontains": day})
    return queryset.distinct()


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
    oruk_feed.page_numbers(params)  # a malformed page is refused before any query
    queryset = _filter_services(selectors.feed_services(), params)
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
    return (
        ServiceAtLocation.objects.filter(service__withdrawn_at__isnull=True)
        .select_related("location")
        .prefetch_related(
            "location__accessibility",
            "location__addresses",
            "location__phones",
            Prefetch("service", queryset=selectors.feed_services()),
        )
    )


@oruk_endpoint
def service_at_locations(request):
    params = request.GET
    oruk_feed.page_numbers(params)
    queryset = _filter_services(_links(), params, prefix="service__")
    text = clean_query(params.get("search", ""))
    if text:
        queryset = queryset.filter(
            Q(service__name__icontains=text)
            | Q(location__name__icontains=text)
            | Q(location__city__icontains=text)
            | Q(location__postal_code__icontains=text)
        )
    postcode = clean_query(params.get("postcode", "")).upper()
    if postcode:
        compact = postcode.replace(" ", "")
        queryset = queryset.filter(
            Q(location__postal_code__iexact=postcode)
            | Q(location__postal_code__istartswith=compact[: max(2, len(compact) - 3)])
        )
    if params.get("proximity"):
        try:
            float(params["proximity"])
        except ValueError:
            raise BadParameter("proximity", "proximity must be a distance in metres.") from None
    return _json(
        oruk_feed.paginated(queryset.order_by("id"), params, oruk_feed.service_at_location_document)
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
    if request.GET.get("taxonomy_id"):
        taxonomy_id = _uuid(request.GET["taxonomy_id"])
        queryset = (
            queryset.filter(taxonomy__public_id=taxonomy_id) if taxonomy_id else queryset.none()
        )
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
