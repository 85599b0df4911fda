"""Reads that span models, with the joins they need (no per-row queries).

Every queryset starts from :func:`caseload.access.visible_service_users` or from
a person the caller already fetched through :mod:`caseload.access`.
"""

import datetime

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from .access import visible_service_users
from .models import AuditEvent, Session, Status
from .stages import STAGE_ORDER


def no_contact_cutoff_days():
    return settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"]


def no_contact_cutoff(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.CONNECTING_PEOPLE["NO_CONTACT_DAYS"])


def no_contact_condition(today=None):
    """People with no contact for NO_CONTACT_DAYS or more: their last contact is
    that old, or they have never had contact and were referred that long ago."""
    cutoff = no_contact_cutoff(today)
    return Q(last_contact_on__lte=cutoff) | Q(
        last_contact_on__isnull=True, referral_date__lte=cutoff
    )


def has_no_recent_contact(person, today=None):
    """The same rule as :func:`no_contact_condition`, for one open person in hand."""
    if person.is_closed:
        return False
    cutoff = no_contact_cutoff(today)
    if person.last_contact_on:
        return person.last_contact_on <= cutoff
    return bool(person.referral_date and person.referral_date <= cutoff)


STAGE_RANK = Case(
    *[When(stage=code, then=Value(rank)) for rank, code in enumerate(STAGE_ORDER)],
    output_field=IntegerField(),
)


def _ordering(sort):
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "stage":
        expression = F("stage_rank")
    elif key == "last_contact":
        expression = F("last_contact_on")
    elif key == "next_contact":
        expression = F("next_contact_on")
    else:
        expression = F("preferred_name")
    primary = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    tie = F("id").desc() if descending else F("id").asc()
    if key == "name":
        return [primary, tie]
    return [primary, F("preferred_name").asc(), F("id").asc()]


def caseload_for(
    user, *, q="", status="open", stage=None, worker=None, no_contact=False, sort="name", today=None
):
    """The people ``user`` may see, filtered and sorted for the caseload list."""
    people = visible_service_users(user).select_related("allocated_worker")
    if q:
        people = people.filter(
            Q(preferred_name__icontains=q)
            | Q(full_name__icontains=q)
            | Q(reference__iexact=q)
            | Q(reference__istartswith=q)
        )
    if status == "open":
        people = people.exclude(status=Status.CLOSED)
    elif status in Status.values:
        people = people.filter(status=status)
    if stage:
        people = people.filter(stage=stage)
    if worker:
        people = people.filter(allocated_worker=worker)
    if no_contact:
        people = people.filter(no_contact_condition(today))
    if sort.lstrip("-") == "stage":
        people = people.annotate(stage_rank=STAGE_RANK)
    return people.order_by(*_ordering(sort))


def sessions_for(service_user):
    """A person's sessions, newest first, with their authors."""
    return (
        Session.objects.filter(service_user=service_user)
        .select_related("author")
        .order_by("-date", F("start_time").desc(nulls_last=True), "-id")
    )


def stage_history_for(service_user):
    return service_user.stage_changes.select_related("changed_by").order_by("-changed_at", "-id")


def allocation_history_for(service_user):
    return service_user.allocations.select_related(
        "from_worker", "to_worker", "changed_by"
    ).order_by("-changed_at", "-id")


def audit_events_for(service_user):
    return AuditEvent.objects.filter(service_user=service_user).select_related("actor")
