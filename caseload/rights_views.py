"""Pages for the person's data rights: subject access requests and their copies,
legal holds, erasure requests and the tombstones they leave.

Every page about a person fetches them through :mod:`caseload.access` (404 for
anyone who cannot see them) and is for supervisors of the person's team (403
for others who can see the person). Erasure requests may also be decided and
carried out by administrators, who see the request, never the record.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.idempotency import created_before

from . import erasure as erasure_services
from . import subject_access
from .access import (
    can_decide_erasure,
    can_handle_erasure,
    get_erasure_request_for,
    get_service_user_for,
    require_supervisor_of,
    supervises,
    visible_erasure_requests,
)
from .audit import Action, audit_record, audit_view
from .models import ErasureRequest, LegalHoldChange, RetentionRun, SubjectAccessRequest
from .rights_forms import (
    AccessRequestForm,
    AnsweredForm,
    ErasureConfirmForm,
    ErasureDecisionForm,
    ErasureRequestForm,
    LegalHoldForm,
    PrepareCopyForm,
)

ERASURE_LIST_SIZE = 100
RETENTION_RUNS_SHOWN = 10


def _supervised_person(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    return person


def _access_request_for(person, sar_id):
    try:
        return SubjectAccessRequest.objects.select_related("recorded_by", "answered_by").get(
            service_user=person, public_id=sar_id
        )
    except SubjectAccessRequest.DoesNotExist as exc:
        raise Http404("No such request") from exc


def _rights_url(person):
    return reverse("caseload:data_rights", kwargs={"public_id": person.public_id})


def _sar_url(person, access_request):
    return reverse(
        "caseload:sar", kwargs={"public_id": person.public_id, "sar_id": access_request.public_id}
    )


def _erasure_url(person, erasure):
    return reverse(
        "caseload:erasure", kwargs={"public_id": person.public_id, "erasure_id": erasure.public_id}
    )


def data_rights(request, public_id):
    person = _supervised_person(request, public_id)
    audit_view(request, person)
    today = timezone.localdate()
    access_requests = list(
        SubjectAccessRequest.objects.filter(service_user=person).order_by("-received_on", "-id")
    )
    for item in access_requests:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "caseload/rights/overview.html",
        {
            "person": person,
            "access_requests": access_requests,
            "erasures": list(
                ErasureRequest.objects.filter(service_user=person).select_related(
                    "requested_by", "decided_by"
                )
            ),
            "holds": list(
                LegalHoldChange.objects.filter(service_user=person).select_related("changed_by")
            ),
            "reference": subject_access.person_reference(person),
        },
    )


# --------------------------------------------------------------------------
# Subject access
# --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sar_create(request, public_id):
    person = _supervised_person(request, public_id)
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        if form.is_valid():
            access_request, created = subject_access.access_request_record(
                service_user=person,
                by=request.user,
                data=form.cleaned_data,
                submission_token=form.submission_token,
                request=request,
            )
        else:
            access_request = created_before(
                SubjectAccessRequest,
                submission_token=form.submission_token,
                belongs=lambda record: record.service_user_id == person.pk,
            )
            created = False
        if access_request is not None:
            if created:
                messages.success(
                    request,
                    "The request has been recorded. The copy is due by "
                    f"{access_request.due_on:%-d %B %Y}.",
                )
            else:
                messages.info(request, "That form was already sent; the request was recorded once.")
            return redirect(_sar_url(person, access_request))
    else:
        audit_view(request, person)
        form = AccessRequestForm()
    return render(request, "caseload/rights/sar_form.html", {"person": person, "form": form})


def _sar_page(request, person, access_request, *, prepare_form=None, answered_form=None):
    audit_view(request, person, access_request)
    return render(
        request,
        "caseload/rights/sar_detail.html",
        {
            "person": person,
            "access_request": access_request,
            "overdue": access_request.is_overdue(),
            "copies": list(access_request.copies.select_related("prepared_by")),
            "prepare_form": prepare_form or PrepareCopyForm(),
            "answered_form": answered_form or AnsweredForm(access_request=access_request),
            # The page's title starts "Error:" when either form has errors.
            "form": prepare_form if prepare_form is not None else answered_form,
        },
    )


def sar_detail(request, public_id, sar_id):
    person = _supervised_person(request, public_id)
    return _sar_page(request, person, _access_request_for(person, sar_id))


@require_POST
def sar_prepare(request, public_id, sar_id):
    person = _supervised_person(request, public_id)
    access_request = _access_request_for(person, sar_id)
    form = PrepareCopyForm(request.POST)
    if not form.is_valid():
        return _sar_page(request, person, access_request, prepare_form=form)
    subject_access.access_copy_prepare(
        access_request=access_request,
        by=request.user,
        show_third_parties=form.show_names,
        reason=form.cleaned_data["reason"],
        request=request,
    )
    messages.success(request, "The copy is ready to download.")
    return redirect(_sar_url(person, access_request))


@require_POST
def sar_answered(request, public_id, sar_id):
    person = _supervised_person(request, public_id)
    access_request = _access_request_for(person, sar_id)
    if not access_request.is_open:
        messages.info(request, "This request was already marked as answered.")
        return redirect(_sar_url(person, access_request))
    form = AnsweredForm(request.POST, access_request=access_request)
    if not form.is_valid():
        return _sar_page(request, person, access_request, answered_form=form)
    try:
        subject_access.access_request_mark_answered(
            access_request=access_request,
            by=request.user,
            answered_on=form.cleaned_data["answered_on"],
            request=request,
        )
    except ValueError as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, "The request is marked as answered.")
    return redirect(_sar_url(person, access_request))


def sar_download(request, public_id, sar_id, copy_id):
    person = _supervised_person(request, public_id)
    access_request = _access_request_for(person, sar_id)
    try:
        copy = access_request.copies.get(public_id=copy_id)
    except access_request.copies.model.DoesNotExist as exc:
        raise Http404("No such copy") from exc
    if not copy.file.storage.exists(copy.file.name):
        raise Http404("The file of this copy is missing; prepare the copy again.")
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        service_user=person,
        obj=copy,
        request=request,
        detail="copy downloaded",
    )
    response = FileResponse(
        copy.file.open("rb"),
        as_attachment=True,
        filename=subject_access.copy_download_name(copy, person),
        content_type="application/zip",
    )
    return response  # not cached: every response to a signed-in browser is no-store


# --------------------------------------------------------------------------
# Legal hold
# --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def legal_hold(request, public_id):
    person = _supervised_person(request, public_id)
    clearing = person.legal_hold
    if request.method == "POST":
        form = LegalHoldForm(request.POST, clearing=clearing)
        if form.is_valid():
            try:
                erasure_services.legal_hold_change(
                    service_user=person,
                    by=request.user,
                    on_hold=not clearing,
                    reason=form.cleaned_data["reason"],
                    kind=form.cleaned_data.get("kind", ""),
                    request=request,
                )
            except erasure_services.ErasureRefused as exc:
                messages.info(request, str(exc))
            else:
                messages.success(
                    request,
                    "The legal hold has been cleared."
                    if clearing
                    else "The record is now under a legal hold: it will not be erased.",
                )
            return redirect(_rights_url(person))
    else:
        audit_view(request, person)
        form = LegalHoldForm(clearing=clearing)
    return render(
        request,
        "caseload/rights/legal_hold.html",
        {"person": person, "form": form, "clearing": clearing},
    )


# --------------------------------------------------------------------------
# Erasure
# --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def erasure_create(request, public_id):
    person = _supervised_person(request, public_id)
    refusal = erasure_services.legal_hold_refusal(person) if person.legal_hold else ""
    if request.method == "POST":
        form = ErasureRequestForm(request.POST)
        if form.is_valid() and not refusal:
            try:
                erasure, created = erasure_services.erasure_request(
                    service_user=person,
                    by=request.user,
                    legal_basis=form.cleaned_data["legal_basis"],
                    reason=form.cleaned_data["reason"],
                    submission_token=form.submission_token,
                    request=request,
                )
            except erasure_services.ErasureRefused as exc:
                form.add_error(None, str(exc))
            else:
                if created:
                    messages.success(
                        request,
                        "The erasure request has been recorded. A second person must approve "
                        "it: another supervisor of the team, or an administrator.",
                    )
                else:
                    messages.info(
                        request, "That form was already sent; the request was recorded once."
                    )
                return redirect(_erasure_url(person, erasure))
    else:
        audit_view(request, person)
        form = ErasureRequestForm()
    return render(
        request,
        "caseload/rights/erasure_form.html",
        {"person": person, "form": form, "refusal": refusal},
        status=409 if refusal and request.method == "POST" else 200,
    )


def _erasure_page(request, erasure, *, decision_form=None, confirm_form=None, status=200):
    person = erasure.service_user
    audit_view(request, person, erasure)
    reference = subject_access.person_reference(person)
    return render(
        request,
        "caseload/rights/erasure_detail.html",
        {
            "erasure": erasure,
            "person": person,
            "reference": reference,
            # Administrators see the request, not the record.
            "sees_record": supervises(request.user, person),
            "can_decide": erasure.status == ErasureRequest.Status.PENDING
            and can_decide_erasure(request.user, erasure),
            "is_requester": erasure.requested_by_id == request.user.pk,
            "decision_form": decision_form or ErasureDecisionForm(),
            "confirm_form": confirm_form or ErasureConfirmForm(expected=reference),
            "form": decision_form if decision_form is not None else confirm_form,
            "hold_refusal": erasure_services.legal_hold_refusal(person)
            if person.legal_hold
            else "",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def erasure_detail(request, public_id, erasure_id):
    erasure = get_erasure_request_for(request.user, public_id, erasure_id)
    if request.method == "GET":
        return _erasure_page(request, erasure)
    form = ErasureDecisionForm(request.POST)
    if not form.is_valid():
        return _erasure_page(request, erasure, decision_form=form)
    try:
        erasure_services.erasure_decide(
            erasure=erasure,
            by=request.user,
            approve=form.approve,
            note=form.cleaned_data["note"],
            request=request,
        )
    except erasure_services.ErasureRefused as exc:
        form.add_error(None, str(exc))
        return _erasure_page(request, erasure, decision_form=form, status=409)
    messages.success(
        request,
        "The erasure is approved. It can now be carried out."
        if form.approve
        else "The erasure request was refused.",
    )
    return redirect(_erasure_url(erasure.service_user, erasure))


@require_POST
def erasure_carry_out(request, public_id, erasure_id):
    erasure = get_erasure_request_for(request.user, public_id, erasure_id)
    if not can_handle_erasure(request.user, erasure):
        raise PermissionDenied("Only a supervisor of the team or an administrator can erase.")
    reference = subject_access.person_reference(erasure.service_user)
    form = ErasureConfirmForm(request.POST, expected=reference)
    if not form.is_valid():
        return _erasure_page(request, erasure, confirm_form=form)
    try:
        erasure_services.erasure_carry_out(
            erasure=erasure, by=request.user, typed_reference=form.cleaned_data["reference"]
        )
    except erasure_services.ErasureRefused as exc:
        form.add_error(None, str(exc))
        return _erasure_page(request, erasure, confirm_form=form, status=409)
    messages.success(request, f"The record {reference} has been erased. The tombstone is below.")
    return redirect("caseload:erasure_list")


def erasure_list(request):
    """Erasure requests waiting, and the tombstones of erased records, for
    supervisors (their teams) and administrators (every team)."""
    user = request.user
    if not (user.is_supervisor or user.is_staff):
        raise PermissionDenied("Only supervisors and administrators can see erasures.")
    erasures = (
        visible_erasure_requests(user)
        .select_related("service_user", "requested_by", "decided_by", "erased_by")
        .order_by("-requested_at", "-id")
    )
    waiting = list(
        erasures.filter(status__in=erasure_services.OPEN_STATUSES, service_user__isnull=False)
    )
    for item in waiting:
        item.sees_record = item.service_user.team_id in user.supervised_team_ids
    erased = list(erasures.filter(status=ErasureRequest.Status.ERASED)[:ERASURE_LIST_SIZE])
    runs = list(RetentionRun.objects.all()[:RETENTION_RUNS_SHOWN]) if user.is_staff else []
    return render(
        request,
        "caseload/rights/erasure_list.html",
        {"waiting": waiting, "erased": erased, "runs": runs, "limit": ERASURE_LIST_SIZE},
    )
