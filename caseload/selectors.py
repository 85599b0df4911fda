"""Reads that span models, with the joins they need (no per-row queries).

Every queryset starts from :func:`caseload.access.visible_service_users` or from
a person the caller already fetched through :mod:`caseload.access`.
"""

import datetime
import statistics

from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When, Window
from django.db.models.functions import Lead
from django.utils import timezone

from accounts.models import shown_name
from accounts.selectors import NAME_FIELDS, name_fields
from core.links import person_link
from core.paging import page_of
from core.per_person import annotate_only

from .access import visible_service_users, worked_on_by
from .models import AuditEvent, ServiceUser, Session, SessionKind, StageChange, Status
from .stages import STAGE_ORDER, Stage, stage_label


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


def open_only(people):
    """``people`` without the closed cases."""
    return people.exclude(status=Status.CLOSED)


def open_without_recent_contact_q(today=None):
    """Open cases with no contact for NO_CONTACT_DAYS or more (the caseload list's
    rule, so the list, the board and the dashboard agree)."""
    return ~Q(status=Status.CLOSED) & no_contact_condition(today)


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


# What a row of the caseload list shows (caseload/caseload_list.html), read as
# values: building a person and a user for each of 25 rows cost more than the
# query.
CASELOAD_LIST_FIELDS = (
    "public_id",
    "preferred_name",
    "reference",
    "status",
    "stage",
    "last_contact_on",
    "next_contact_on",
    "allocated_worker_id",
    *(f"allocated_worker__{name}" for name in NAME_FIELDS),
)


def caseload_rows(people, *, viewer, today=None):
    """The rows of the caseload list for ``people`` (a page of :func:`caseload_for`,
    values), worked out here once rather than by a dozen template lookups a row:
    the link, name, reference, closed or paused, stage, last contact and whether
    it is over the no-contact limit, next planned contact and whether it has
    passed, and the worker ("You" for ``viewer``)."""
    today = today or timezone.localdate()
    cutoff = no_contact_cutoff(today)
    link = person_link("caseload:person")
    rows = []
    for person in people:
        closed = person["status"] == Status.CLOSED
        last, following = person["last_contact_on"], person["next_contact_on"]
        rows.append(
            {
                "url": link.for_public_id(person["public_id"]),
                "name": person["preferred_name"],
                "reference": person["reference"],
                "closed": closed,
                "paused": person["status"] == Status.PAUSED,
                "stage": stage_label(person["stage"]),
                "last_contact": last,
                "contact_overdue": bool(last and not closed and last <= cutoff),
                "next_contact": following,
                "next_passed": bool(following and following < today),
                "worker": "You"
                if person["allocated_worker_id"] == viewer.pk
                else shown_name(
                    person["allocated_worker__first_name"],
                    person["allocated_worker__last_name"],
                    person["allocated_worker__username"],
                ),
            }
        )
    return rows


def caseload_for(
    user, *, q="", status="open", stage=None, worker=None, no_contact=False, sort="name", today=None
):
    """The people ``user`` may see, filtered and sorted for the caseload list,
    as values: only what the list shows (``CASELOAD_LIST_FIELDS``)."""
    people = visible_service_users(user)
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
    return people.order_by(*_ordering(sort)).values(*CASELOAD_LIST_FIELDS)


def sessions_for(service_user):
    """A person's sessions, newest first, with their authors (and group, if any)."""
    return (
        Session.objects.filter(service_user=service_user)
        .select_related("author", "group")
        .order_by("-date", F("start_time").desc(nulls_last=True), "-id")
    )


def co_workers_of(service_user):
    """The person's co-workers, by name (only their names read)."""
    return service_user.co_workers.only(*NAME_FIELDS)


def session_table_for(service_user, *also):
    """:func:`sessions_for` with only what a table of sessions shows
    (``caseload/_session_table.html``): no notes, no whole author or group.
    ``also``: more of the session's fields to read (the journey's timeline
    reads ``what_we_did``)."""
    return (
        sessions_for(service_user)
        .select_related(None)
        .select_related("author")
        .only(
            "public_id",
            "date",
            "start_time",
            "group_id",
            "kind",
            "stage",
            "duration_minutes",
            *name_fields("author"),
            *also,
        )
    )


RECENT_SESSIONS = 5
# What only the team's supervisor sees in the kept body of a summary page,
# each from its own template (``caseload/_<name>.html``).
SUMMARY_SUPERVISOR_STANDINS = ("reallocate_link", "supervisor_actions")


def summary_page_records(service_user):
    """What the body of a person's summary page shows from their records
    (``caseload/_person_body.html``): recent sessions and how many in all,
    co-workers, stage and allocation history, and today's date."""
    sessions = session_table_for(service_user)
    return {
        "recent_sessions": list(sessions[:RECENT_SESSIONS]),
        "session_count": sessions.aggregate(n=Count("id"))["n"],
        "co_workers": list(co_workers_of(service_user)),
        "stage_history": list(stage_history_for(service_user)),
        "allocations": list(allocation_history_for(service_user)),
        "today": timezone.localdate(),
    }


SESSIONS_PAGE_SIZE = 20


def sessions_page(service_user, page=None):
    """A page (``?page=``, the first by default) of the person's sessions, newest
    first, for their sessions page (``caseload/_session_list.html``)."""
    page_obj = page_of(session_table_for(service_user), SESSIONS_PAGE_SIZE, page)
    return {"page_obj": page_obj, "sessions": page_obj.object_list}


def stage_history_for(service_user):
    """The person's stage moves, newest first, with who made each (their name)."""
    return (
        service_user.stage_changes.select_related("changed_by")
        .only(
            "service_user",
            "changed_at",
            "from_stage",
            "to_stage",
            "note",
            "missing_evidence",
            *name_fields("changed_by"),
        )
        .order_by("-changed_at", "-id")
    )


def allocation_history_for(service_user):
    """The person's allocations, newest first, with the workers' and changer's names."""
    return (
        service_user.allocations.select_related("from_worker", "to_worker", "changed_by")
        .only(
            "service_user",
            "changed_at",
            "note",
            *name_fields("from_worker"),
            *name_fields("to_worker"),
            *name_fields("changed_by"),
        )
        .order_by("-changed_at", "-id")
    )


def audit_events_for(service_user):
    return AuditEvent.objects.filter(service_user=service_user).select_related("actor")


def open_cases_worked_by(user):
    """Open cases ``user`` works on directly (allocated or co-worker), within what
    the access rules let them see, by name."""
    return open_only(worked_on_by(user)).order_by("preferred_name", "id")


def as_queryset(people):
    """A queryset of ``people`` (ServiceUsers the caller already fetched through
    :mod:`caseload.access`), to annotate with other apps' figures."""
    return ServiceUser.objects.filter(pk__in=[person.pk for person in people])


def with_session_facts(people, *, only=None):
    """Annotate a ServiceUser queryset with ``has_contact_session`` (a session the
    person attended) and ``has_connect_session`` (one while connecting), in the
    same query; with ``only`` (names), just those of them."""
    attended = Session.objects.filter(service_user=OuterRef("pk")).exclude(
        kind=SessionKind.DID_NOT_ATTEND
    )
    facts = {
        "has_contact_session": lambda: Exists(attended),
        "has_connect_session": lambda: Exists(attended.filter(stage=Stage.CONNECT)),
    }
    return annotate_only(people, facts, only)


def stages_visited(service_user):
    """Stage codes the person has been at (from the stage history) plus the current one."""
    codes = set(
        StageChange.objects.filter(service_user=service_user)
        .order_by()
        .values_list("to_stage", flat=True)
        .distinct()
    )
    codes.add(service_user.stage)
    return codes


_STAGE_MEDIANS_SQL = (
    "SELECT to_stage, EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP "
    "(ORDER BY left_at - changed_at)) / 86400.0 "
    "FROM ({moves}) AS stays (to_stage, changed_at, left_at) "
    "WHERE left_at IS NOT NULL AND to_stage <> %s GROUP BY to_stage"
)


def median_days_in_stage(people):
    """{stage code: median days} over the completed stays of ``people`` (a
    ServiceUser queryset) in each stage but "closed".

    A stay runs from the move into a stage to the person's next move; stays still
    under way are not counted. Each move's end is found in one pass over the
    moves, ``LEAD(changed_at) OVER (PARTITION BY person ORDER BY changed_at)``,
    rather than a lookup per move. PostgreSQL takes the medians in the same
    query; SQLite (small databases) in Python.
    """
    moves = (
        StageChange.objects.filter(service_user__in=people.values("pk"))
        .annotate(
            left_at=Window(
                Lead("changed_at"),
                partition_by=[F("service_user_id")],
                order_by=[F("changed_at").asc(), F("id").asc()],
            )
        )
        .order_by()
        .values_list("to_stage", "changed_at", "left_at")
    )
    connection = connections[moves.db]
    if connection.vendor == "postgresql":
        # The inner query is Django's own compiled SQL; its values stay parameters.
        moves_sql, params = moves.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(_STAGE_MEDIANS_SQL.format(moves=moves_sql), [*params, Stage.CLOSED])
            return {stage: float(days) for stage, days in cursor.fetchall()}
    stays = {}
    for stage, entered, left in moves:
        if left is not None and stage != Stage.CLOSED:
            stays.setdefault(stage, []).append((left - entered).total_seconds() / 86400)
    return {stage: statistics.median(days) for stage, days in stays.items()}


# Practice fidelity (workflow.fidelity) ---------------------------------------------


def fidelity_scope(people, *, closed_since):
    """The open cases in ``people`` (a ServiceUser queryset) and those closed on
    or after ``closed_since``: the people practice fidelity is computed for."""
    return people.filter(~Q(status=Status.CLOSED) | Q(closed_on__gte=closed_since))


def fidelity_rows(scope, **annotations):
    """``{"pk", "stage", "worker_id", "team_id", "has_ending", …}`` for each person
    in ``scope`` (see :func:`fidelity_scope`), in one query; ``annotations`` (other
    apps' figures per person, as expressions) are read in the same query."""
    return (
        scope.order_by()
        .annotate(
            worker_id=F("allocated_worker_id"), has_ending=~Q(ending_summary=""), **annotations
        )
        .values("pk", "stage", "worker_id", "team_id", "has_ending", *annotations)
    )


def stages_reached(people):
    """``{pk: {stage codes moved into}}`` from the stage history of ``people`` (a
    ServiceUser queryset or a list of ids), in one query: how far a closed case
    got before closing."""
    ids = people.values("pk") if hasattr(people, "values") else list(people)
    reached = {}
    for pk, stage in (
        StageChange.objects.filter(service_user__in=ids)
        .order_by()
        .values_list("service_user_id", "to_stage")
        .distinct()
    ):
        reached.setdefault(pk, set()).add(stage)
    return reached


def people_in_teams(team_ids):
    """Every person in the teams ``team_ids``, whoever asks: for AGGREGATE reports
    only (the agency report counts them; it never lists or shows anyone). Any page
    showing people reads :func:`caseload.access.visible_service_users`."""
    return ServiceUser.objects.filter(team_id__in=team_ids)
