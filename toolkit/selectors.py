"""Reads for the toolkit: querysets with what each page needs, no per-row queries."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import (
    DAY_LABELS,
    STAGE_LABELS,
    Location,
    Organization,
    PracticeArea,
    Resource,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from .search import clean_query, search


def visible_resources(user):
    """Resources ``user`` may see: curators every one, everyone else published only."""
    queryset = Resource.objects.all()
    if not getattr(user, "is_curator", False):
        queryset = queryset.filter(status=Resource.Status.PUBLISHED)
    return queryset


def _with_tags(queryset):
    return queryset.prefetch_related("stage_tags", "practice_areas")


def library_resources(user, *, text="", stage="", area=None, kind="", tag=""):
    queryset = visible_resources(user)
    if stage in STAGE_LABELS:
        queryset = queryset.filter(stage_tags__stage=stage)
    if area is not None:
        queryset = queryset.filter(practice_areas=area)
    if kind in Resource.Kind.values:
        queryset = queryset.filter(kind=kind)
    if tag:
        queryset = queryset.filter(tags__icontains=tag)
    queryset = search(queryset, text)
    return queryset.defer("body", "search_text").prefetch_related("stage_tags")


def resources_for_stage(stage_code, *, limit=5):
    """Published resources tagged with ``stage_code``, their title and summary
    only (for links on the person's journey page): one query."""
    queryset = Resource.objects.filter(
        status=Resource.Status.PUBLISHED, stage_tags__stage=stage_code
    ).only("public_id", "title", "summary")
    return list(queryset.order_by("title")[:limit])


def practice_areas():
    return PracticeArea.objects.annotate(
        published=Count("resources", filter=Q(resources__status=Resource.Status.PUBLISHED))
    )


def curation_resources(*, text="", status="", due_only=False):
    """Every resource with how often it was used in sessions, for curators."""
    queryset = Resource.objects.annotate(times_used=Count("sessions", distinct=True))
    if status in Resource.Status.values:
        queryset = queryset.filter(status=status)
    if due_only:
        queryset = queryset.filter(review_by__lte=timezone.localdate()).exclude(
            status=Resource.Status.ARCHIVED
        )
    queryset = search(queryset, text, rank_first=False)
    return queryset.select_related("updated_by").defer("body", "search_text").order_by("title")


def resource_detail(user, public_id):
    return (
        _with_tags(visible_resources(user))
        .select_related("updated_by", "created_by")
        .filter(public_id=public_id)
        .first()
    )


# Directory ------------------------------------------------------------------


VERIFY_EVERY_DAYS = 365


def unverified_since():
    """Opportunities last checked before this date (or never) are due a check."""
    return timezone.localdate() - datetime.timedelta(days=VERIFY_EVERY_DAYS)


def directory_services(
    *, text="", category=None, day="", free_only=False, include_closed=False, unverified=False
):
    queryset = Service.objects.all() if include_closed else Service.objects.current()
    if unverified:
        queryset = queryset.filter(
            Q(assured_date__isnull=True) | Q(assured_date__lt=unverified_since())
        )
    if not include_closed:
        queryset = queryset.exclude(status=Service.Status.DEFUNCT)
    if category is not None:
        queryset = queryset.filter(categories=category)
    if day in DAY_LABELS:
        queryset = queryset.filter(schedules__byday__icontains=day).distinct()
    if free_only:
        queryset = queryset.filter(is_free=True)
    queryset = search(queryset, text)
    return queryset.select_related("organization").prefetch_related(
        "categories",
        "schedules",
        Prefetch("locations", queryset=Location.objects.order_by("name")),
    )


def directory_categories():
    """Taxonomy terms that at least one service uses, with how many."""
    return (
        TaxonomyTerm.objects.annotate(service_count=Count("services"))
        .filter(service_count__gt=0)
        .order_by("name")
    )


def service_detail(public_id):
    """A service with everything its page shows. Withdrawn services are still
    found (maps and goals link to them); the page says they were withdrawn."""
    return (
        _with_everything(Service.objects.select_related("organization", "updated_by", "feed"))
        .filter(public_id=public_id)
        .first()
    )


def _with_everything(queryset):
    """Every relation a full service (page or ORUK document) shows, prefetched."""
    return queryset.prefetch_related(
        Prefetch("categories", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        "contacts__phones",
        "cost_options",
        "phones",
        "service_areas",
        "languages",
        "funding",
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__accessibility", "location__addresses", "location__phones"
            ),
        ),
    )


def find_organisations(text, *, limit=20):
    """Directory organisations whose name has every word of ``text``, each with the
    services it still runs (for picking one from another app). Empty text: none."""
    words = clean_query(text).split()[:10]
    if not words:
        return Organization.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word)
    running = Service.objects.exclude(status=Service.Status.DEFUNCT).order_by("name")
    return (
        Organization.objects.filter(condition)
        .order_by("name")
        .prefetch_related(Prefetch("services", queryset=running))[:limit]
    )


def feed_services():
    """Current services with everything an ORUK service document includes
    (withdrawn listings are not published)."""
    return _with_everything(Service.objects.current().select_related("organization"))


def current_services():
    """Listings not withdrawn from their feed, with their organisation."""
    return Service.objects.current().select_related("organization")


def offerable_services():
    """Listings a worker may suggest or link to a goal: current and running."""
    return Service.objects.offerable().select_related("organization").order_by("name", "id")


def services_with_contacts(service_ids):
    """Directory opportunities with what a person needs to go: times, places and
    contacts (four queries whatever their number)."""
    return (
        Service.objects.filter(pk__in=list(service_ids))
        .select_related("organization")
        .prefetch_related(
            "schedules",
            "contacts",
            Prefetch("at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        )
        .order_by("name", "id")
    )
