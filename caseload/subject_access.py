"""Subject access requests: record one, prepare the copy, mark it sent.

The copy is a ZIP holding a readable, printable HTML document of everything
held about the person (``copy.html`` with ``style.css``), the same data as JSON
(``data.json``), and uploaded files about the person (``files/``). Its content
comes from every app's exporter in :mod:`caseload.persondata`; the access log
(who viewed or changed the record, and when) is one of those sections.

Third parties are pseudonymised ("Friend 1") unless the supervisor records a
decision, with a reason, to show their names. Each copy and each download is
audited; only supervisors of the person's team reach them (see the views).
"""

import calendar
import datetime
import hashlib
import io
import json
import re
import shutil
import zipfile

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.selectors import name_fields
from core.idempotency import create_once

from . import persondata, readable
from .access import visible_service_users
from .audit import Action, audit_record
from .models import ErasureRequest, SubjectAccessCopy, SubjectAccessRequest

ACCESS_LOG_SECTION = "access_log"
OVERDUE_SHOWN = 20


def one_calendar_month_after(day):
    """The date one calendar month after ``day`` (the UK GDPR time limit): the
    same day of the next month, or that month's last day when it is shorter
    (31 January → 28 or 29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def person_reference(service_user):
    """The reference a tombstone keeps and the erasure confirmation asks for:
    the organisation's reference, or one made from the record's id."""
    return service_user.reference or f"CP-{service_user.public_id.hex[:8].upper()}"


@transaction.atomic
def access_request_record(*, service_user, by, data, submission_token=None, request=None):
    """Record a subject access request. Returns ``(request, created)``; a form
    sent twice records one request."""
    record, created = create_once(
        SubjectAccessRequest,
        submission_token=submission_token,
        belongs=lambda existing: existing.service_user_id == service_user.pk,
        build=lambda token: SubjectAccessRequest.objects.create(
            service_user=service_user,
            recorded_by=by,
            submission_token=token,
            received_on=data["received_on"],
            requested_by=data["requested_by"],
            identity_check=data["identity_check"],
        ),
    )
    if created:
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=record,
            fields=["received_on", "requested_by", "identity_check"],
            request=request,
        )
    return record, created


@transaction.atomic
def access_request_mark_answered(*, access_request, by, answered_on, request=None):
    """Record the date the copy was sent: the request is no longer open."""
    updated = SubjectAccessRequest.objects.filter(
        pk=access_request.pk, answered_on__isnull=True
    ).update(answered_on=answered_on, answered_by=by)
    if not updated:
        raise ValueError("This request was already marked as answered.")
    access_request.answered_on, access_request.answered_by = answered_on, by
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=access_request.service_user,
        obj=access_request,
        fields=["answered_on"],
        request=request,
    )
    return access_request


def _ordered_sections(sections):
    """The registry's sections, with the access log last."""
    ordered = {name: section for name, section in sections.items() if name != ACCESS_LOG_SECTION}
    if ACCESS_LOG_SECTION in sections:
        ordered[ACCESS_LOG_SECTION] = sections[ACCESS_LOG_SECTION]
    return ordered


def _safe_name(name):
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name.replace("\\", "/").split("/")[-1]).strip(".-")
    return cleaned or "file"


def build_copy(service_user, *, prepared_by, prepared_at, show_third_parties=False, reason=""):
    """The ZIP for a subject access copy, as bytes (nothing is saved)."""
    sections = _ordered_sections(
        persondata.export_person(service_user, reveal_third_parties=show_third_parties)
    )
    files = []
    for section, name, field_file in persondata.person_files(service_user):
        files.append((f"files/{_safe_name(section)}/{_safe_name(name)}", field_file))
    reference = person_reference(service_user)
    document = {
        "prepared_at": prepared_at.isoformat(),
        "prepared_by": str(prepared_by),
        "person": {"preferred_name": service_user.preferred_name, "reference": reference},
        "other_peoples_names": "shown" if show_third_parties else "pseudonymised",
        "why_other_peoples_names_are_shown": reason if show_third_parties else None,
        "sections": sections,
        "files": [name for name, _file in files],
    }
    html = render_to_string(
        "caseload/subject_access/copy.html",
        {
            "person": service_user,
            "reference": reference,
            "prepared_at": prepared_at,
            "prepared_by": prepared_by,
            "show_third_parties": show_third_parties,
            "sections": [
                {
                    "name": name,
                    "label": section["label"],
                    "html": mark_safe(readable.render(section["data"], level=3)),  # noqa: S308 - escaped by readable
                }
                for name, section in sections.items()
            ],
            "files": [name for name, _file in files],
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("copy.html", html)
        archive.writestr("style.css", render_to_string("caseload/subject_access/copy.css"))
        archive.writestr(
            "data.json",
            json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, field_file in files:
            with field_file.open("rb") as source, archive.open(name, "w") as target:
                shutil.copyfileobj(source, target)
    return buffer.getvalue()


def access_copy_prepare(
    *, access_request, by, show_third_parties=False, reason="", request=None, now=None
):
    """Build and keep a copy for the request; audited as an export."""
    if show_third_parties and not reason.strip():
        raise ValueError("Showing other people's names needs a reason.")
    service_user = access_request.service_user
    prepared_at = now or timezone.now()
    content = build_copy(
        service_user,
        prepared_by=by,
        prepared_at=prepared_at,
        show_third_parties=show_third_parties,
        reason=reason,
    )
    copy = SubjectAccessCopy(
        request=access_request,
        prepared_by=by,
        prepared_at=prepared_at,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        third_parties_shown=show_third_parties,
        third_parties_reason=reason.strip() if show_third_parties else "",
    )
    copy.file.save("copy.zip", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            copy.save()
            audit_record(
                actor=by,
                action=Action.EXPORT,
                service_user=service_user,
                obj=copy,
                fields=[handler.name for handler in persondata.handlers()],
                request=request,
                detail="other people's names shown" if show_third_parties else "pseudonymised",
            )
    except Exception:
        copy.file.storage.delete(copy.file.name)
        raise
    return copy


def copy_download_name(copy, service_user):
    day = timezone.localtime(copy.prepared_at).date().isoformat()
    return f"subject-access-{_safe_name(person_reference(service_user))}-{day}.zip"


def team_data_requests(user, team, *, today=None):
    """Open subject access requests (oldest, so overdue, first) and erasure requests waiting
    in ``team``, among the people ``user`` may see: two queries."""
    today = today or timezone.localdate()
    people = visible_service_users(user).filter(team=team)
    # Only what the dashboard's panel shows (caseload/_data_requests_dashboard.html):
    # building the whole person and user for each cost more than the queries.
    shown_person = ("service_user__public_id", "service_user__preferred_name")
    open_requests = list(
        SubjectAccessRequest.objects.filter(service_user__in=people, answered_on__isnull=True)
        .select_related("service_user")
        .only("public_id", "received_on", "answered_on", *shown_person)
        .order_by("received_on", "id")
    )
    for item in open_requests:
        item.overdue = item.is_overdue(today)
    waiting = list(
        ErasureRequest.objects.filter(
            service_user__in=people,
            status__in=[ErasureRequest.Status.PENDING, ErasureRequest.Status.APPROVED],
        )
        .select_related("service_user", "requested_by")
        .only("public_id", "reference", "status", *shown_person, *name_fields("requested_by"))
        .order_by("requested_at", "id")
    )
    overdue = [item for item in open_requests if item.overdue]
    return {
        "open_requests": open_requests[:OVERDUE_SHOWN],
        "open_count": len(open_requests),
        "overdue_count": len(overdue),
        "erasures_waiting": waiting,
    }
