"""The caseload's own sections of the person-data registry: the record itself
(details, consent, sessions, stage and allocation history, legal holds and
data requests) and the access log (who viewed or changed the record, and when).

Registered from :class:`caseload.apps.CaseloadConfig`. Erasers run in reverse
order, so the access log is anonymised before the record is deleted.
"""

from django.apps import apps
from django.db.models import F, OuterRef, Prefetch, Subquery

from core.remember import forget_kept_parts

from .models import (
    Allocation,
    AuditEvent,
    ErasureRequest,
    LegalHoldChange,
    ServiceUser,
    Session,
    StageChange,
    SubjectAccessCopy,
    SubjectAccessRequest,
)

RECORD_MODELS = [
    ServiceUser,
    StageChange,
    Allocation,
    Session,
    LegalHoldChange,
    SubjectAccessRequest,
    SubjectAccessCopy,
    ErasureRequest,
]
ACCESS_LOG_MODELS = [AuditEvent]


def _date(value):
    return value.isoformat() if value else None


def _name(user):
    return str(user) if user is not None else None


def _details(person):
    return {
        "preferred_name": person.preferred_name,
        "full_name": person.full_name,
        "pronouns": person.pronouns,
        "date_of_birth": _date(person.date_of_birth),
        "phone": person.phone,
        "email": person.email,
        "postcode": person.postcode,
        "organisation_reference": person.reference,
        "team": person.team.name,
        "allocated_worker": _name(person.allocated_worker),
        "co-workers": [_name(worker) for worker in person.co_workers.all()],
        "referred_on": _date(person.referral_date),
        "referred_by": person.referral_source,
        "reason_for_referral": person.referral_reason,
        "status": person.get_status_display(),
        "stage": person.get_stage_display(),
        "last_contact": _date(person.last_contact_on),
        "next_planned_contact": _date(person.next_contact_on),
        "closed_on": _date(person.closed_on),
        "why_the_case_closed": person.get_closure_reason_display() or None,
        "legal_hold": person.legal_hold,
        "record_created_at": person.created_at.isoformat(),
        "record_last_changed_at": person.updated_at.isoformat(),
    }


def export_record(service_user, *, reveal_third_parties=False):
    """The person's record as plain data (nothing here names a third party
    beyond staff and the person's own words)."""
    person = (
        ServiceUser.objects.select_related("team", "allocated_worker", "consent_recorded_by")
        .prefetch_related("co_workers")
        .get(pk=service_user.pk)
    )
    sessions = (
        Session.objects.filter(service_user=person)
        .select_related("author", "group")
        .prefetch_related("resources_used")
        .order_by("date", F("start_time").asc(nulls_first=True), "id")
    )
    copies = SubjectAccessCopy.objects.select_related("prepared_by").order_by("id")
    requests = SubjectAccessRequest.objects.filter(service_user=person).prefetch_related(
        Prefetch("copies", queryset=copies)
    )
    return {
        "details": _details(person),
        "consent": {
            "agreed_to_take_part": person.consent_to_take_part,
            "date": _date(person.consent_date),
            "recorded_by": _name(person.consent_recorded_by),
            "what_the_person_agreed_to_share": person.sharing_agreement,
        },
        "what_matters_to_me": person.what_matters,
        "ending_summary": person.ending_summary,
        "sessions": [
            {
                "date": session.date.isoformat(),
                "start_time": session.start_time.strftime("%H:%M") if session.start_time else None,
                "duration_in_minutes": session.duration_minutes,
                "type": session.get_kind_display(),
                "stage_worked_on": session.get_stage_display(),
                "logged_by": _name(session.author),
                "what_we_did": session.what_we_did,
                "what_the_person_said_and_how_it_went": session.how_it_went,
                "agreed_next_steps": session.next_steps,
                "next_session_date": _date(session.next_session_on),
                "toolkit_resources_used": [r.title for r in session.resources_used.all()],
                **(
                    {"part_of_a_group_session": session.group.notes or "(no notes)"}
                    if session.group_id
                    else {}
                ),
            }
            for session in sessions
        ],
        "stage_history": [
            {
                "when": change.changed_at.isoformat(),
                "from": change.get_from_stage_display() or "(start)",
                "to": change.get_to_stage_display(),
                "by": _name(change.changed_by),
                "note": change.note,
                "evidence_missing_at_the_time": list(change.missing_evidence or []),
            }
            for change in StageChange.objects.filter(service_user=person)
            .select_related("changed_by")
            .order_by("changed_at", "id")
        ],
        "allocation_history": [
            {
                "when": allocation.changed_at.isoformat(),
                "from": _name(allocation.from_worker),
                "to": _name(allocation.to_worker),
                "by": _name(allocation.changed_by),
                "note": allocation.note,
            }
            for allocation in Allocation.objects.filter(service_user=person)
            .select_related("from_worker", "to_worker", "changed_by")
            .order_by("changed_at", "id")
        ],
        "legal_hold_history": [
            {
                "when": change.changed_at.isoformat(),
                "what": "Hold set" if change.on_hold else "Hold cleared",
                "kind": change.get_kind_display() or None,
                "why": change.reason,
                "by": _name(change.changed_by),
            }
            for change in LegalHoldChange.objects.filter(service_user=person)
            .select_related("changed_by")
            .order_by("changed_at", "id")
        ],
        "requests_for_a_copy": [
            {
                "received_on": request.received_on.isoformat(),
                "who_asked": request.requested_by,
                "how_identity_was_checked": request.identity_check,
                "due_on": request.due_on.isoformat(),
                "copy_sent_on": _date(request.answered_on),
                "copies_prepared": [
                    {
                        "prepared_at": copy.prepared_at.isoformat(),
                        "by": _name(copy.prepared_by),
                        "other_peoples_names_shown": copy.third_parties_shown,
                    }
                    for copy in request.copies.all()
                ],
            }
            for request in requests.order_by("received_on", "id")
        ],
        "requests_for_erasure": [
            {
                "requested_at": erasure.requested_at.isoformat(),
                "legal_basis": erasure.get_legal_basis_display(),
                "reason": erasure.reason,
                "status": erasure.get_status_display(),
            }
            for erasure in ErasureRequest.objects.filter(service_user=person).order_by(
                "requested_at", "id"
            )
        ],
    }


def _record_kinds():
    """``{"serviceuser": "Service user", ...}``: an audit event's object type in words."""
    return {
        model._meta.model_name: str(model._meta.verbose_name).capitalize()
        for model in apps.get_models()
    }


def export_access_log(service_user, *, reveal_third_parties=False):
    """Who viewed or changed the record, and when (oldest first; never content)."""
    events = (
        AuditEvent.objects.filter(service_user=service_user)
        .select_related("actor")
        .order_by("at", "id")
    )
    kinds = _record_kinds()
    return [
        {
            "when": event.at.isoformat(),
            "who": _name(event.actor) or "(account since removed)",
            "what": event.get_action_display(),
            "part_of_the_record": kinds.get(event.object_type, event.object_type),
            "fields": [name.replace("_", " ") for name in event.fields or []],
        }
        for event in events
    ]


def erase_access_logs(service_users):
    """Keep who and when; drop the person, the record ids, the pages and details,
    and link each event to the tombstone of its person's erasure under way."""
    tombstone = ErasureRequest.objects.filter(
        service_user=OuterRef("service_user"), status=ErasureRequest.Status.ERASING
    ).values("pk")[:1]
    AuditEvent.objects.filter(service_user__in=_ids(service_users)).update(
        erasure=Subquery(tombstone), service_user=None, object_id="", path="", detail=""
    )


def erase_access_log(service_user):
    erase_access_logs([service_user])


def erase_records(service_users):
    """Delete the records and their history; each erasure request under way stays,
    unlinked, as the tombstone. Children first, so each delete is one query."""
    ids = _ids(service_users)
    SubjectAccessCopy.objects.filter(request__service_user__in=ids).delete()
    SubjectAccessRequest.objects.filter(service_user__in=ids).delete()
    LegalHoldChange.objects.filter(service_user__in=ids).delete()
    erasures = ErasureRequest.objects.filter(service_user__in=ids)
    erasures.exclude(status=ErasureRequest.Status.ERASING).delete()
    erasures.update(service_user=None)
    Session.resources_used.through.objects.filter(session__service_user__in=ids).delete()
    Session.objects.filter(service_user__in=ids).delete()
    StageChange.objects.filter(service_user__in=ids).delete()
    Allocation.objects.filter(service_user__in=ids).delete()
    ServiceUser.co_workers.through.objects.filter(serviceuser_id__in=ids).delete()
    ServiceUser.objects.filter(pk__in=ids).delete()
    # Kept page parts (a journey, a board card) are copies of the records: they
    # go with them, in the same transaction (the kept-parts cache is a table).
    forget_kept_parts()


def erase_record(service_user):
    erase_records([service_user])


def _ids(service_users):
    return [service_user.pk for service_user in service_users]
