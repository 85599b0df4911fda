"""Actions on person records. Views validate forms, then call these."""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core.conflicts import save_if_current
from core.idempotency import create_once

from .access import can_see_person
from .audit import Action, audit_record
from .models import (
    Allocation,
    ClosureReason,
    ServiceUser,
    Session,
    SessionKind,
    StageChange,
    Status,
)
from .signals import stage_changed
from .stages import Stage
from .validators import normalise_postcode, normalise_uk_phone


@transaction.atomic
def service_user_change_stage(
    *, service_user, to_stage, by, note="", missing_evidence=(), request=None
):
    """Move a person to ``to_stage``, record it in the stage history and audit log,
    and send ``caseload.signals.stage_changed`` (a baseline network snapshot, for
    example, is taken by the networks app when a person first leaves ``assess``).

    Readiness checks are advisory and belong to the caller; this only records.
    """
    if to_stage not in Stage.values:
        raise ValueError(f"Unknown stage {to_stage!r}")
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    from_stage = locked.stage
    change = StageChange.objects.create(
        service_user=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=by,
        changed_at=timezone.now(),
        note=note,
        missing_evidence=list(missing_evidence),
    )
    locked.stage = to_stage
    if to_stage == Stage.CLOSED:
        locked.status = Status.CLOSED
    elif locked.status in (Status.REFERRED, Status.CLOSED) and to_stage != Stage.REFERRAL:
        locked.status = Status.ACTIVE
    locked.version += 1
    locked.save(update_fields=["stage", "status", "version", "updated_at"])
    service_user.stage, service_user.status, service_user.version = (
        locked.stage,
        locked.status,
        locked.version,
    )
    audit_record(
        actor=by,
        action=Action.STAGE,
        service_user=locked,
        fields=["stage"],
        request=request,
        detail=f"{from_stage} → {to_stage}",
    )
    stage_changed.send(
        sender=ServiceUser,
        service_user=locked,
        stage_change=change,
        from_stage=from_stage,
        to_stage=to_stage,
        by=by,
    )
    return change


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------

PERSON_TEXT_NORMALISERS = {"postcode": normalise_postcode, "phone": normalise_uk_phone}


def _normalise(values):
    for name, normalise in PERSON_TEXT_NORMALISERS.items():
        if values.get(name):
            values[name] = normalise(values[name])
    if "reference" in values:
        values["reference"] = (values["reference"] or "").strip() or None
    return values


@transaction.atomic
def service_user_create(*, data, co_workers=(), by, submission_token=None, request=None):
    """Create a person from validated form ``data``; record the first stage and
    allocation. With a ``submission_token`` already used for a person ``by``
    may see, return that person instead (a double-submitted form creates one
    record; a token of a record they may not see is ignored). Returns
    ``(person, created)``."""
    values = _normalise(dict(data))
    person, created = create_once(
        ServiceUser,
        submission_token=submission_token,
        belongs=lambda record: can_see_person(by, record),
        build=lambda token: ServiceUser.objects.create(**values, submission_token=token),
    )
    if not created:
        return person, False
    if co_workers:
        person.co_workers.set(co_workers)
    now = timezone.now()
    StageChange.objects.create(
        service_user=person, from_stage="", to_stage=person.stage, changed_by=by, changed_at=now
    )
    Allocation.objects.create(
        service_user=person,
        from_worker=None,
        to_worker=person.allocated_worker,
        changed_by=by,
        changed_at=now,
        note="First allocation.",
    )
    audit_record(
        actor=by,
        action=Action.CREATE,
        service_user=person,
        fields=[*values, *(["co_workers"] if co_workers else [])],
        request=request,
    )
    return person, True


@transaction.atomic
def service_user_update(
    *, service_user, version, data, co_workers=None, by, changed=(), request=None
):
    """Save edited fields of a person if nobody saved since ``version``.

    ``data`` holds the form's field values (``co_workers`` separately, or None
    when the form does not edit them); ``changed`` names the fields the user
    changed, for the audit log. Consent answers stamp who recorded them.
    Raises :class:`core.conflicts.StaleEdit` and writes nothing when the
    version is stale.
    """
    values = _normalise(dict(data))
    if "consent_to_take_part" in changed or "consent_date" in changed:
        values["consent_recorded_by"] = (
            by if values.get("consent_to_take_part") is not None else None
        )
    new_version = save_if_current(ServiceUser, pk=service_user.pk, version=version, values=values)
    if co_workers is not None:
        service_user.co_workers.set(co_workers)
    for name, value in values.items():
        setattr(service_user, name, value)
    service_user.version = new_version
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            service_user=service_user,
            fields=changed,
            request=request,
        )
    return service_user


def stage_before_closing(service_user):
    """The stage a closed person was in before their case was closed."""
    last_close = (
        StageChange.objects.filter(service_user=service_user, to_stage=Stage.CLOSED)
        .order_by("-changed_at", "-id")
        .first()
    )
    if last_close is None or not last_close.from_stage or last_close.from_stage == Stage.CLOSED:
        return Stage.GETTING_STARTED
    return last_close.from_stage


@transaction.atomic
def service_user_close(*, service_user, by, closed_on, reason, ending_summary="", request=None):
    """Close a person's case (supervisors): record the closure and move to ``closed``."""
    if service_user.is_closed:
        raise ValueError("The case is already closed.")
    note = f"Closed: {ClosureReason(reason).label}."
    service_user_change_stage(
        service_user=service_user, to_stage=Stage.CLOSED, by=by, note=note, request=request
    )
    ServiceUser.objects.filter(pk=service_user.pk).update(
        closed_on=closed_on, closure_reason=reason, ending_summary=ending_summary
    )
    service_user.closed_on = closed_on
    service_user.closure_reason = reason
    service_user.ending_summary = ending_summary
    audit_record(
        actor=by,
        action=Action.CLOSE,
        service_user=service_user,
        fields=["closed_on", "closure_reason", "ending_summary", "status"],
        request=request,
        detail=reason,
    )
    return service_user


@transaction.atomic
def service_user_reopen(*, service_user, by, note="", request=None):
    """Reopen a closed case, back to the stage it was in before closing.

    The closure details stay on the record (they are history); the stage
    history shows the reopening with its note.
    """
    if not service_user.is_closed:
        raise ValueError("The case is not closed.")
    to_stage = stage_before_closing(service_user)
    change = service_user_change_stage(
        service_user=service_user,
        to_stage=to_stage,
        by=by,
        note=note or "Reopened.",
        request=request,
    )
    status = Status.REFERRED if to_stage == Stage.REFERRAL else Status.ACTIVE
    ServiceUser.objects.filter(pk=service_user.pk).update(status=status)
    service_user.status = status
    audit_record(
        actor=by,
        action=Action.REOPEN,
        service_user=service_user,
        fields=["stage", "status"],
        request=request,
        detail=f"back to {to_stage}",
    )
    return change


@transaction.atomic
def service_user_reallocate(
    *, service_user, to_worker, by, note="", keep_as_co_worker=False, request=None
):
    """Allocate a person to another worker in their team (supervisors), keeping
    the history. The new worker stops being a co-worker (they are allocated
    now); the previous worker may stay on as a co-worker."""
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    from_worker_id = locked.allocated_worker_id
    if to_worker.pk == from_worker_id:
        raise ValueError("The person is already allocated to this worker.")
    allocation = Allocation.objects.create(
        service_user=locked,
        from_worker_id=from_worker_id,
        to_worker=to_worker,
        changed_by=by,
        changed_at=timezone.now(),
        note=note,
    )
    ServiceUser.objects.filter(pk=locked.pk).update(
        allocated_worker=to_worker, version=F("version") + 1, updated_at=timezone.now()
    )
    locked.co_workers.remove(to_worker)
    if keep_as_co_worker and from_worker_id:
        locked.co_workers.add(from_worker_id)
    service_user.allocated_worker = to_worker
    service_user.version = locked.version + 1
    audit_record(
        actor=by,
        action=Action.REALLOCATE,
        service_user=service_user,
        fields=["allocated_worker", *(["co_workers"] if keep_as_co_worker else [])],
        request=request,
    )
    return allocation


# --------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------


def service_user_refresh_contact_dates(*, service_user, today=None):
    """Recompute the person's denormalised contact dates from their sessions.

    - ``last_contact_on``: the date of the latest session that is not "did not
      attend" (a missed appointment is not contact).
    - ``next_contact_on``: the ``next_session_on`` of the most recent session
      (by date, then start time, then entry order, whatever its type) when that
      date is today or later; otherwise none. A plan made in an earlier session
      is superseded by what the latest session agreed.

    Neither field is user-edited, so this does not bump the person's version (a
    colleague logging a session must not make your open edit form stale).
    """
    today = today or timezone.localdate()
    sessions = Session.objects.filter(service_user_id=service_user.pk)
    last = sessions.exclude(kind=SessionKind.DID_NOT_ATTEND).aggregate(last=Max("date"))["last"]
    latest = (
        sessions.order_by("-date", F("start_time").desc(nulls_last=True), "-id")
        .values("next_session_on")
        .first()
    )
    planned = latest["next_session_on"] if latest else None
    next_on = planned if planned and planned >= today else None
    ServiceUser.objects.filter(pk=service_user.pk).update(
        last_contact_on=last, next_contact_on=next_on
    )
    service_user.last_contact_on, service_user.next_contact_on = last, next_on
    return last, next_on


SESSION_FIELDS = (
    "date",
    "start_time",
    "duration_minutes",
    "kind",
    "stage",
    "what_we_did",
    "how_it_went",
    "next_steps",
    "next_session_on",
)


@transaction.atomic
def session_create(
    *, service_user, by, data, resources=(), submission_token=None, request=None, group=None
):
    """Log a session. A repeated ``submission_token`` returns the session it
    created the first time. Returns ``(session, created)``. ``group``: the
    :class:`GroupSession` this person's session is part of."""
    session, created = create_once(
        Session,
        submission_token=submission_token,
        belongs=lambda record: record.service_user_id == service_user.pk,
        build=lambda token: Session.objects.create(
            service_user=service_user,
            author=by,
            submission_token=token,
            group=group,
            **{name: data.get(name) for name in SESSION_FIELDS if name in data},
        ),
    )
    if not created:
        return session, False
    if resources:
        session.resources_used.set(resources)
    service_user_refresh_contact_dates(service_user=service_user)
    audit_record(
        actor=by,
        action=Action.CREATE,
        service_user=service_user,
        obj=session,
        fields=[name for name in SESSION_FIELDS if data.get(name) not in (None, "")]
        + (["resources_used"] if resources else []),
        request=request,
    )
    return session, True


@transaction.atomic
def session_update(*, session, version, data, resources=None, by, changed=(), request=None):
    """Save an edited session if nobody saved it since ``version``; raises
    :class:`core.conflicts.StaleEdit` (writing nothing) otherwise."""
    values = {name: data[name] for name in SESSION_FIELDS if name in data}
    new_version = save_if_current(Session, pk=session.pk, version=version, values=values)
    if resources is not None:
        session.resources_used.set(resources)
    for name, value in values.items():
        setattr(session, name, value)
    session.version = new_version
    service_user_refresh_contact_dates(service_user=session.service_user)
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            service_user=session.service_user,
            obj=session,
            fields=changed,
            request=request,
        )
    return session


@transaction.atomic
def session_delete(*, session, by, request=None):
    """Delete a session recorded in error (supervisors) and refresh contact dates."""
    service_user = session.service_user
    audit_record(
        actor=by,
        action=Action.DELETE,
        service_user=service_user,
        obj=session,
        request=request,
        detail=f"session of {session.date:%Y-%m-%d}",
    )
    session.delete()
    service_user_refresh_contact_dates(service_user=service_user)
