"""The retention schedule: which records are past the agency's retention period,
and erasing them through the person-data registry (with tombstones).

The schedule is ``settings.CONNECTING_PEOPLE["RETENTION"]``, in whole years:

- ``closed_case_years``: a closed case (one that was taken on), counted from its
  closure or the last contact, whichever is later (default 8);
- ``referral_not_taken_on_years``: a referral never taken on (the person never
  moved past "Referred"), counted from the referral date (default 2);
- ``audit_event_years``: audit events, counted from the event (default 8).

A period of ``None`` keeps that kind of record with no limit; with no period at
all there is no schedule and nothing runs. A person under a legal hold is never
erased, however old the record.

:func:`people_due` is used by both the dry run and the real run, so they agree.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.dateformat import format as date_format

from .erasure import erasure_for_retention
from .models import AuditEvent, RetentionRun, ServiceUser, StageChange, Status
from .stages import Stage
from .subject_access import person_reference

PERIODS = {
    "closed_case_years": "closed cases",
    "referral_not_taken_on_years": "referrals never taken on",
    "audit_event_years": "audit events",
}
CLOSED_CASE = "closed_case"
REFERRAL = "referral_not_taken_on"
BATCH_SIZE = 100
AUDIT_BATCH_SIZE = 5000
# pg_advisory_lock key: one retention run at a time across app instances.
LOCK_KEY = 0x43505245  # "CPRE"


class RetentionNotConfigured(Exception):
    """There is no usable retention schedule; the message says what to set."""


def schedule():
    """The validated schedule: ``{period name: years or None}``."""
    configured = settings.CONNECTING_PEOPLE.get("RETENTION") or {}
    if not isinstance(configured, dict) or not any(
        configured.get(name) is not None for name in PERIODS
    ):
        raise RetentionNotConfigured(
            "There is no retention schedule, so nothing will be erased. Set the agency's "
            "periods (CP_RETENTION_CLOSED_CASE_YEARS, CP_RETENTION_REFERRAL_YEARS, "
            "CP_RETENTION_AUDIT_YEARS; see the README)."
        )
    checked = {}
    for name, what in PERIODS.items():
        years = configured.get(name)
        if years is not None and (
            isinstance(years, bool) or not isinstance(years, int) or years < 1
        ):
            raise RetentionNotConfigured(
                f"The retention period for {what} must be a whole number of years, "
                f"1 or more (it is {years!r})."
            )
        checked[name] = years
    return checked


def years_before(day, years):
    """``day`` moved back ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day, years):
    return years_before(day, -years)


def _long_date(day):
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Due:
    person_id: int
    reference: str
    team: str
    rule: str
    reason: str
    due_on: datetime.date


def _annotated(people):
    taken_on = StageChange.objects.filter(service_user=OuterRef("pk")).exclude(
        to_stage__in=[Stage.REFERRAL, Stage.CLOSED]
    )
    last_closed = (
        StageChange.objects.filter(service_user=OuterRef("pk"), to_stage=Stage.CLOSED)
        .order_by("-changed_at")
        .annotate(day=TruncDate("changed_at"))
        .values("day")[:1]
    )
    closure = Coalesce("closed_on", Subquery(last_closed), "referral_date")
    return people.annotate(
        taken_on=Exists(taken_on) | ~Q(stage__in=[Stage.REFERRAL, Stage.CLOSED]),
        closure=closure,
        last_activity=Greatest(closure, Coalesce("last_contact_on", closure)),
    )


def _conditions(periods, today):
    rules = []
    if periods["closed_case_years"] is not None:
        cutoff = years_before(today, periods["closed_case_years"])
        rules.append(Q(status=Status.CLOSED, taken_on=True, last_activity__lte=cutoff))
    if periods["referral_not_taken_on_years"] is not None:
        cutoff = years_before(today, periods["referral_not_taken_on_years"])
        rules.append(
            Q(
                taken_on=False,
                stage__in=[Stage.REFERRAL, Stage.CLOSED],
                referral_date__lte=cutoff,
            )
        )
    condition = Q(pk__in=[])
    for rule in rules:
        condition |= rule
    return condition


def _due(person, periods):
    if person.taken_on:
        years = periods["closed_case_years"]
        base = person.last_activity
        due_on = years_after(base, years)
        contact = (
            f"last contact {_long_date(person.last_contact_on)}"
            if person.last_contact_on
            else "no contact recorded"
        )
        reason = (
            f"Closed case: closed {_long_date(person.closure)}, {contact}; kept {years} years "
            f"after the later of the two, so due for erasure on {_long_date(due_on)}."
        )
        rule = CLOSED_CASE
    else:
        years = periods["referral_not_taken_on_years"]
        due_on = years_after(person.referral_date, years)
        reason = (
            f"Referral never taken on: referred {_long_date(person.referral_date)}; kept "
            f"{years} years, so due for erasure on {_long_date(due_on)}."
        )
        rule = REFERRAL
    return Due(
        person_id=person.pk,
        reference=person_reference(person),
        team=person.team.name,
        rule=rule,
        reason=reason,
        due_on=due_on,
    )


def people_due(*, today=None, periods=None, ids=None, lock=False):
    """``(due, held)``: the people past their retention period (oldest id first),
    and how many more would be but are under a legal hold."""
    today = today or timezone.localdate()
    periods = schedule() if periods is None else periods
    people = ServiceUser.objects.all()
    if ids is not None:
        people = people.filter(pk__in=ids)
    matching = _annotated(people).filter(_conditions(periods, today))
    held = matching.filter(legal_hold=True).count() if not lock else 0
    chosen = matching.filter(legal_hold=False).select_related("team").order_by("pk")
    if lock:
        chosen = chosen.select_for_update(of=("self",), skip_locked=True)
    return [_due(person, periods) for person in chosen], held


def audit_events_due(*, today=None, periods=None):
    periods = schedule() if periods is None else periods
    years = periods["audit_event_years"]
    if years is None:
        return AuditEvent.objects.none()
    today = today or timezone.localdate()
    start_of_day = datetime.datetime.combine(years_before(today, years), datetime.time())
    cutoff = timezone.make_aware(start_of_day)
    return AuditEvent.objects.filter(at__lt=cutoff)


@dataclass
class Plan:
    periods: dict
    due: list
    held: int
    audit_events: int

    def lines(self):
        yield "Retention schedule: " + "; ".join(
            f"{what} {self.periods[name]} years"
            if self.periods[name] is not None
            else f"{what} kept with no limit"
            for name, what in PERIODS.items()
        )
        for item in self.due:
            yield f"{item.reference} ({item.team}): {item.reason}"
        yield f"{len(self.due)} people due for erasure."
        if self.held:
            yield f"{self.held} more are past their period but under a legal hold, so kept."
        yield f"{self.audit_events} audit events older than the audit period."


def plan(*, today=None):
    """What a run would do now (the dry run)."""
    periods = schedule()
    due, held = people_due(today=today, periods=periods)
    return Plan(periods, due, held, audit_events_due(today=today, periods=periods).count())


class _RunLock:
    """One run at a time (PostgreSQL advisory lock; SQLite has one writer anyway)."""

    def __enter__(self):
        self.held = connection.vendor != "postgresql"
        if not self.held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                self.held = cursor.fetchone()[0]
        return self

    def __exit__(self, *exc):
        if self.held and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def apply(*, today=None, batch_size=BATCH_SIZE, progress=None):
    """Erase everyone due and remove old audit events, in batches (one short
    transaction per batch; see :func:`_erase_batch`). Idempotent:
    a second run finds nothing left to do. Returns the :class:`RetentionRun`."""
    periods = schedule()
    today = today or timezone.localdate()
    with _RunLock() as lock:
        if not lock.held:
            raise RetentionNotConfigured("Another retention run is in progress; try later.")
        run = RetentionRun.objects.create(schedule=periods)
        due, held = people_due(today=today, periods=periods)
        run.held_back = held
        ids = [item.person_id for item in due]
        for start in range(0, len(ids), batch_size):
            _erase_batch(run, ids[start : start + batch_size], today=today, periods=periods)
            if progress:
                progress(len(run.entries), len(ids))
        run.people_erased = len(run.entries)
        run.audit_events_removed = _remove_audit_events(today, periods)
        run.finished_at = timezone.now()
        run.save()
    return run


def _entry(item, tombstone):
    entry = asdict(item)
    entry.pop("person_id")
    entry["due_on"] = item.due_on.isoformat()
    entry["tombstone"] = str(tombstone.public_id)
    return entry


def _erase_batch(run, ids, *, today, periods):
    """One short transaction: lock the batch's people still due (skipping any
    someone else holds), erase them together; if that fails, one by one, so one
    bad record does not hold back the rest."""
    with transaction.atomic():
        still_due, _held = people_due(today=today, periods=periods, ids=ids, lock=True)
        people = ServiceUser.objects.select_related("team").in_bulk(
            [item.person_id for item in still_due]
        )
        pairs = [(people[item.person_id], item) for item in still_due]
        try:
            with transaction.atomic():
                tombstones = erasure_for_retention([(p, item.reason) for p, item in pairs])
        except Exception:  # noqa: BLE001 - isolate the record at fault below
            tombstones = None
        if tombstones is not None:
            run.entries += [
                _entry(item, t) for (_p, item), t in zip(pairs, tombstones, strict=True)
            ]
            return
        for person, item in pairs:
            try:
                with transaction.atomic():
                    (tombstone,) = erasure_for_retention([(person, item.reason)])
            except Exception as exc:  # noqa: BLE001 - reported to administrators
                run.errors.append({"reference": item.reference, "error": str(exc)})
            else:
                run.entries.append(_entry(item, tombstone))


def _remove_audit_events(today, periods):
    removed = 0
    while True:
        # Any batch of due events, in no order: ordering by id would make
        # PostgreSQL sort every due row (the BRIN index on ``at`` finds them, not
        # in id order) for each batch of a thousand.
        batch = list(
            audit_events_due(today=today, periods=periods)
            .order_by()
            .values_list("pk", flat=True)[:AUDIT_BATCH_SIZE]
        )
        if not batch:
            return removed
        with transaction.atomic():
            removed += AuditEvent.objects.filter(pk__in=batch).delete()[0]
