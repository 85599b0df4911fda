"""Erasing a person's record, and the legal holds that stop it.

An erasure is requested (a reason and the legal basis), approved by a second
person (another supervisor of the team, or an administrator; never who asked),
then carried out by someone typing the person's reference. Every registered
eraser (:mod:`caseload.persondata`) runs in one transaction; uploaded files are
deleted after it commits. What remains is the tombstone (the
:class:`~caseload.models.ErasureRequest` row: reference, dates, who requested
and approved, why) and the audit trail, keeping who and when but not the person.

The retention schedule (:mod:`caseload.retention`) erases through the same
:func:`erase_now`, a batch at a time. A person under a legal hold is never erased.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.idempotency import create_once

from . import persondata
from .access import can_decide_erasure, can_handle_erasure
from .audit import Action, audit_record
from .models import (
    AuditEvent,
    ErasureRequest,
    LegalHoldChange,
    ServiceUser,
    StageChange,
    SubjectAccessCopy,
)
from .stages import Stage
from .subject_access import person_reference

Status = ErasureRequest.Status
OPEN_STATUSES = (Status.PENDING, Status.APPROVED)


class ErasureRefused(Exception):
    """An erasure step that cannot be taken; the message says why, for the user."""


def legal_hold_refusal(service_user):
    latest = (
        LegalHoldChange.objects.filter(service_user=service_user, on_hold=True)
        .order_by("-changed_at", "-id")
        .first()
    )
    why = ""
    if latest is not None:
        kind = latest.get_kind_display().lower() if latest.kind else "a hold"
        when = timezone.localtime(latest.changed_at)
        why = f" ({kind}, set on {when:%-d %B %Y} by {latest.changed_by})"
    return (
        f"This record is under a legal hold{why}, so it must not be destroyed. "
        "A supervisor of the team must clear the hold first."
    )


# --------------------------------------------------------------------------
# Legal holds
# --------------------------------------------------------------------------


@transaction.atomic
def legal_hold_change(*, service_user, by, on_hold, reason, kind="", request=None):
    """Set or clear the legal hold; who, when and why go in the person's history."""
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    if locked.legal_hold == on_hold:
        raise ErasureRefused(
            "The record is already under a legal hold."
            if on_hold
            else "The record is not under a legal hold."
        )
    change = LegalHoldChange.objects.create(
        service_user=locked,
        on_hold=on_hold,
        kind=kind if on_hold else "",
        reason=reason,
        changed_by=by,
    )
    ServiceUser.objects.filter(pk=locked.pk).update(legal_hold=on_hold)
    service_user.legal_hold = on_hold
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=service_user,
        obj=change,
        fields=["legal_hold"],
        request=request,
        detail="legal hold set" if on_hold else "legal hold cleared",
    )
    return change


# --------------------------------------------------------------------------
# Requests and decisions
# --------------------------------------------------------------------------


def _tombstone_facts(service_user):
    closed_on = service_user.closed_on
    if closed_on is None and service_user.status == "closed":
        last_close = (
            StageChange.objects.filter(service_user=service_user, to_stage=Stage.CLOSED)
            .order_by("-changed_at")
            .values_list("changed_at", flat=True)
            .first()
        )
        closed_on = timezone.localdate(last_close) if last_close else None
    return {
        "reference": person_reference(service_user),
        "team_id": service_user.team_id,
        "team_name": service_user.team.name,
        "referral_date": service_user.referral_date,
        "closed_on": closed_on,
        "last_contact_on": service_user.last_contact_on,
        "record_created_on": timezone.localdate(service_user.created_at),
    }


@transaction.atomic
def erasure_request(*, service_user, by, legal_basis, reason, submission_token=None, request=None):
    """Ask for a person's record to be erased. Returns ``(request, created)``."""
    if service_user.legal_hold:
        raise ErasureRefused(legal_hold_refusal(service_user))

    def belongs(existing):
        return existing.service_user_id == service_user.pk

    def build(token):
        if ErasureRequest.objects.filter(
            service_user=service_user, status__in=OPEN_STATUSES
        ).exists():
            raise ErasureRefused("An erasure request for this record is already open.")
        return ErasureRequest.objects.create(
            service_user=service_user,
            legal_basis=legal_basis,
            reason=reason,
            requested_by=by,
            submission_token=token,
            **_tombstone_facts(service_user),
        )

    try:
        record, created = create_once(
            ErasureRequest, submission_token=submission_token, build=build, belongs=belongs
        )
    except IntegrityError as exc:  # a concurrent request won (one open request per person)
        raise ErasureRefused("An erasure request for this record is already open.") from exc
    if created:
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=record,
            fields=["legal_basis", "reason"],
            request=request,
        )
    return record, created


@transaction.atomic
def erasure_decide(*, erasure, by, approve, note="", request=None):
    """Approve or refuse a waiting request. Who asked cannot decide."""
    locked = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    locked.service_user = erasure.service_user
    if locked.requested_by_id == by.pk:
        raise ErasureRefused(
            "You asked for this erasure, so someone else must approve it: another supervisor "
            "of the team, or an administrator."
        )
    if not can_decide_erasure(by, locked):
        raise PermissionDenied("Only a supervisor of the team or an administrator can decide.")
    if locked.status != Status.PENDING:
        status = locked.get_status_display().lower()
        raise ErasureRefused(f"This request has already been decided ({status}).")
    if approve and locked.service_user.legal_hold:
        raise ErasureRefused(legal_hold_refusal(locked.service_user))
    locked.status = Status.APPROVED if approve else Status.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=locked.service_user,
        obj=locked,
        fields=["status"],
        request=request,
        detail="erasure approved" if approve else "erasure refused",
    )
    return locked


# --------------------------------------------------------------------------
# Carrying it out
# --------------------------------------------------------------------------


def _delete_files(found):
    for storage, name in found:
        if name and storage.exists(name):
            storage.delete(name)


def _files_of(people):
    found = [
        (field_file.storage, field_file.name)
        for person in people
        for _section, _name, field_file in persondata.person_files(person)
    ]
    found += [
        (copy.file.storage, copy.file.name)
        for copy in SubjectAccessCopy.objects.filter(request__service_user__in=people)
    ]
    return found


@transaction.atomic
def erase_now(pairs, *, by=None):
    """Erase each person of ``pairs`` (``[(service_user, erasure request)]``) now,
    leaving their request as the tombstone: all or nothing (inside the caller's
    transaction, if any). Uploaded files and prepared copies are deleted once the
    outermost transaction commits. Refused, changing nothing, if anyone is
    under a legal hold."""
    people = [person for person, _erasure in pairs]
    held = [person for person in people if person.legal_hold]
    if held:
        raise ErasureRefused(legal_hold_refusal(held[0]))
    files = _files_of(people)
    tombstones = [erasure for _person, erasure in pairs]
    # Any other open request goes with the record (one open request per person).
    ErasureRequest.objects.filter(service_user__in=people, status__in=OPEN_STATUSES).exclude(
        pk__in=[erasure.pk for erasure in tombstones if erasure.pk]
    ).delete()
    sections = [handler.name for handler in persondata.handlers()]
    for person, erasure in pairs:
        for name, value in _tombstone_facts(person).items():
            setattr(erasure, name, value)
        erasure.status, erasure.sections_erased = Status.ERASING, sections
    for erasure in tombstones:
        if erasure.pk:
            erasure.save()
    ErasureRequest.objects.bulk_create([erasure for erasure in tombstones if not erasure.pk])
    persondata.erase_people(people)
    now = timezone.now()
    ErasureRequest.objects.filter(pk__in=[erasure.pk for erasure in tombstones]).update(
        status=Status.ERASED, service_user=None, erased_by=by, erased_at=now
    )
    for erasure in tombstones:
        erasure.status, erasure.service_user, erasure.erased_by = Status.ERASED, None, by
        erasure.erased_at = now
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=by,
            action=Action.ERASE,
            erasure=erasure,
            object_type="serviceuser",
            detail=erasure.get_source_display().lower(),
        )
        for erasure in tombstones
    )
    transaction.on_commit(lambda: _delete_files(files))
    return tombstones


def erasure_carry_out(*, erasure, by, typed_reference):
    """Carry out an approved request once ``typed_reference`` matches the
    person's reference. Cannot be undone."""
    with transaction.atomic():
        locked = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if locked.status == Status.ERASED:
            raise ErasureRefused("This record has already been erased.")
        if locked.status != Status.APPROVED:
            raise ErasureRefused("The erasure must be approved by a second person first.")
        service_user = (
            ServiceUser.objects.select_for_update()
            .select_related("team")
            .get(pk=locked.service_user_id)
        )
        locked.service_user = service_user
        if not can_handle_erasure(by, locked):
            raise PermissionDenied("Only a supervisor of the team or an administrator can erase.")
        if (typed_reference or "").strip().casefold() != person_reference(service_user).casefold():
            raise ErasureRefused("The reference you typed does not match this record.")
        return erase_now([(service_user, locked)], by=by)[0]


def erasure_for_retention(due):
    """Erase people whose retention period has passed: ``due`` is
    ``[(service_user, reason)]``. No request and no approval: the agency's
    schedule decided. Returns the tombstones."""
    return erase_now(
        [
            (
                person,
                ErasureRequest(
                    service_user=person,
                    source=ErasureRequest.Source.RETENTION,
                    legal_basis="retention",
                    reason=reason,
                    status=Status.APPROVED,
                ),
            )
            for person, reason in due
        ]
    )
