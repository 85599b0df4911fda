"""Caseload pages: the list, person records, sessions, allocation and audit log.

Every view that touches person data fetches the person through
:mod:`caseload.access` (outsiders get 404), audits its GETs, and leaves changes
to :mod:`caseload.services`.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from core.idempotency import created_before
from core.paging import keyset_page, paginate
from core.views import render_conflict, save_versioned

from . import selectors, services
from .access import (
    can_edit_session,
    can_see_person,
    get_service_user_for,
    get_session_for,
    require_can_edit_session,
    require_supervisor_of,
    supervises,
)
from .audit import audit_view, detail_words, record_words
from .forms import (
    CaseloadFilterForm,
    CloseForm,
    ConsentForm,
    EndingSummaryForm,
    PersonCreateForm,
    PersonDetailsForm,
    ReallocateForm,
    ReopenForm,
    SessionForm,
    WhatMattersForm,
)
from .kept import kept_part
from .models import ServiceUser, Session

PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50


def _conflict(request, *, person, form, saved, cancel_url, what, session=None):
    """The 409 page of a stale edit (it shows person data, so it is audited as a view)."""
    audit_view(request, person, session)
    return render_conflict(
        request,
        form=form,
        saved=saved,
        what=what,
        cancel_url=cancel_url,
        fields_template="caseload/_fields.html",
        submit_label="Save",
        context={
            "person": person,
            "breadcrumbs_template": "caseload/_breadcrumbs.html",
            "here": "Conflict",
        },
    )


# --------------------------------------------------------------------------
# Caseload list
# --------------------------------------------------------------------------


@role_required("team")
def caseload_list(request):
    user = request.user
    filter_form = CaseloadFilterForm(request.GET or None, user=user)
    filters = filter_form.values()
    people = selectors.caseload_for(
        user,
        q=filters["q"],
        status=filters["status"],
        stage=filters.get("stage"),
        worker=filters.get("worker"),
        no_contact=bool(filters.get("no_contact")),
        sort=filters["sort"],
    )
    page = paginate(request, people, PAGE_SIZE)
    filtered = any(
        [
            filters["q"],
            filters["status"] != "open",
            filters.get("stage"),
            filters.get("worker"),
            filters.get("no_contact"),
        ]
    )
    sort_key = filters["sort"].lstrip("-")
    columns = []
    for key, label in CaseloadFilterForm.SORTS.items():
        active = key == sort_key
        descending = active and filters["sort"].startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "active": active,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "next_sort": f"-{key}" if active and not descending else key,
            }
        )
    return render(
        request,
        "caseload/caseload_list.html",
        {
            "filter_form": filter_form,
            "page_obj": page,
            "people": page.object_list,
            "rows": selectors.caseload_rows(page.object_list, viewer=user),
            "filtered": filtered,
            "columns": columns,
            "heading": "My caseload" if not user.is_supervisor else "Team caseload",
            "no_contact_days": selectors.no_contact_cutoff_days(),
        },
    )


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------


@role_required("team")
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    if request.method == "POST":
        form = PersonCreateForm(request.POST, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            co_workers = data.pop("co_workers", [])
            person, created = services.service_user_create(
                data=data,
                co_workers=co_workers,
                by=user,
                submission_token=form.submission_token,
                request=request,
            )
        else:
            # Sent twice: the first copy's record (its reference, say) can make this
            # copy invalid. A token of a record this user may not see is ignored.
            person = created_before(
                ServiceUser,
                submission_token=form.submission_token,
                belongs=lambda record: can_see_person(user, record),
            )
            created = False
        if person is not None:
            if created:
                messages.success(request, f"{person.preferred_name}'s record has been created.")
            else:
                messages.info(request, "That form was already sent; the record was saved once.")
            return redirect(person)
    else:
        form = PersonCreateForm(user=user)
    return render(request, "caseload/person_form.html", {"form": form})


def person_detail(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    is_supervisor = supervises(request.user, person)
    today = timezone.localdate()
    fills = {}
    if is_supervisor and not person.is_closed:
        fills = {
            name: render_to_string(f"caseload/_{name}.html", {"person": person})
            for name in selectors.SUMMARY_SUPERVISOR_STANDINS
        }
    return render(
        request,
        "caseload/person_detail.html",
        {
            "person": person,
            "part": kept_part(request, person, "summary", fills=fills),
            "is_supervisor": is_supervisor,
            "no_contact": selectors.has_no_recent_contact(person, today),
            "no_contact_days": selectors.no_contact_cutoff_days(),
        },
    )


# section → (form, page title, the record in a sentence for the conflict page
# and the message once saved)
EDIT_FORMS = {
    "details": (PersonDetailsForm, "Edit details", "these details", "The details were saved."),
    "consent": (ConsentForm, "Consent", "the consent answers", "The consent answers were saved."),
    "what_matters": (
        WhatMattersForm,
        "What matters to me",
        "what matters to me",
        "What matters to them was saved.",
    ),
    "ending_summary": (
        EndingSummaryForm,
        "Ending summary",
        "the ending summary",
        "The ending summary was saved.",
    ),
}


def _person_edit(request, public_id, section):
    form_class, title, what, saved_message = EDIT_FORMS[section]
    person = get_service_user_for(request.user, public_id, write=True)
    extra = {"team": person.team} if form_class is PersonDetailsForm else {}
    if request.method == "POST":
        form = form_class(request.POST, instance=person, **extra)

        def save():
            data = dict(form.cleaned_data)
            services.service_user_update(
                service_user=person,
                version=form.version,
                data=data,
                co_workers=data.pop("co_workers", None),
                by=request.user,
                changed=form.changed_data,
                request=request,
            )
            messages.success(request, saved_message)
            return redirect(person)

        def conflict(saved):
            return _conflict(
                request,
                person=saved,
                form=form,
                saved=saved,
                cancel_url=saved.get_absolute_url(),
                what=what,
            )

        response = save_versioned(form=form, record=person, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        audit_view(request, person)
        form = form_class(instance=person, **extra)
    return render(
        request, "caseload/person_edit.html", {"person": person, "form": form, "title": title}
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    return _person_edit(request, public_id, "details")


@require_http_methods(["GET", "POST"])
def person_consent(request, public_id):
    return _person_edit(request, public_id, "consent")


@require_http_methods(["GET", "POST"])
def person_what_matters(request, public_id):
    return _person_edit(request, public_id, "what_matters")


@require_http_methods(["GET", "POST"])
def person_ending_summary(request, public_id):
    return _person_edit(request, public_id, "ending_summary")


@require_http_methods(["GET", "POST"])
def person_close(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    if person.is_closed:
        messages.info(request, f"{person.preferred_name}'s case is already closed.")
        return redirect(person)
    if request.method == "POST":
        form = CloseForm(request.POST, service_user=person)
        if form.is_valid():
            services.service_user_close(
                service_user=person,
                by=request.user,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
                ending_summary=form.cleaned_data["ending_summary"],
                request=request,
            )
            messages.success(request, f"{person.preferred_name}'s case has been closed.")
            return redirect(person)
    else:
        audit_view(request, person)
        form = CloseForm(service_user=person)
    return render(request, "caseload/person_close.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def person_reopen(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    if not person.is_closed:
        messages.info(request, f"{person.preferred_name}'s case is open.")
        return redirect(person)
    back_to = services.stage_before_closing(person)
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            services.service_user_reopen(
                service_user=person,
                by=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(request, f"{person.preferred_name}'s case has been reopened.")
            return redirect(person)
    else:
        audit_view(request, person)
        form = ReopenForm()
    return render(
        request,
        "caseload/person_reopen.html",
        {"person": person, "form": form, "back_to": ServiceUser(stage=back_to)},
    )


@require_http_methods(["GET", "POST"])
def person_reallocate(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    if request.method == "POST":
        form = ReallocateForm(request.POST, service_user=person)
        if form.is_valid():
            services.service_user_reallocate(
                service_user=person,
                to_worker=form.cleaned_data["to_worker"],
                by=request.user,
                note=form.cleaned_data["note"],
                keep_as_co_worker=form.cleaned_data["keep_as_co_worker"],
                request=request,
            )
            worker = form.cleaned_data["to_worker"]
            messages.success(
                request,
                f"{person.preferred_name} is now allocated to "
                f"{worker.get_full_name() or worker.username}.",
            )
            return redirect(person)
    else:
        audit_view(request, person)
        form = ReallocateForm(service_user=person)
    return render(
        request,
        "caseload/person_reallocate.html",
        {
            "person": person,
            "form": form,
            "allocations": list(selectors.allocation_history_for(person)),
        },
    )


def person_audit_log(request, public_id):
    person = get_service_user_for(request.user, public_id)
    require_supervisor_of(request.user, person)
    audit_view(request, person)
    page = keyset_page(request, selectors.audit_events_for(person), AUDIT_PAGE_SIZE)
    for event in page.object_list:
        event.record_words = record_words(event)
        event.detail_words = detail_words(event)
        event.field_words = [name.replace("_", " ") for name in event.fields]
    return render(
        request,
        "caseload/audit_log.html",
        {"person": person, "page_obj": page, "events": page.object_list},
    )


# --------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------


def session_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    if request.GET:
        # Another page: worked out on each visit.
        context = {"part": None, **selectors.sessions_page(person, request.GET.get("page"))}
    else:
        context = {"part": kept_part(request, person, "sessions")}
    return render(request, "caseload/session_list.html", {"person": person, **context})


@require_http_methods(["GET", "POST"])
def session_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    if request.method == "POST":
        form = SessionForm(request.POST, service_user=person)
        if form.is_valid():
            data = dict(form.cleaned_data)
            resources = data.pop("resources_used", [])
            session, created = services.session_create(
                service_user=person,
                by=request.user,
                data=data,
                resources=resources,
                submission_token=form.submission_token,
                request=request,
            )
        else:
            session = created_before(
                Session,
                submission_token=form.submission_token,
                belongs=lambda record: record.service_user_id == person.pk,
            )
            created = False
        if session is not None:
            if created:
                messages.success(request, "Session saved.")
            else:
                messages.info(request, "That session was already saved; it was saved once.")
            return redirect(_session_url(session))
    else:
        audit_view(request, person)
        form = SessionForm(service_user=person)
    return render(
        request,
        "caseload/session_form.html",
        {"person": person, "form": form, "title": "Log a session"},
    )


def _session_url(session):
    return reverse(
        "caseload:session",
        kwargs={"public_id": session.service_user.public_id, "session_id": session.public_id},
    )


def session_detail(request, public_id, session_id):
    person = get_service_user_for(request.user, public_id)
    session = get_session_for(request.user, person, session_id)
    session.service_user = person
    audit_view(request, person, session)
    return render(
        request,
        "caseload/session_detail.html",
        {
            "person": person,
            "session": session,
            "resources": list(session.resources_used.all()),
            "can_edit": can_edit_session(request.user, session),
            "is_supervisor": supervises(request.user, person),
        },
    )


@require_http_methods(["GET", "POST"])
def session_edit(request, public_id, session_id):
    person = get_service_user_for(request.user, public_id, write=True)
    session = get_session_for(request.user, person, session_id)
    session.service_user = person
    require_can_edit_session(request.user, session)
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, service_user=person)

        def save():
            data = dict(form.cleaned_data)
            services.session_update(
                session=session,
                version=form.version,
                data=data,
                resources=data.pop("resources_used", None),
                by=request.user,
                changed=form.changed_data,
                request=request,
            )
            messages.success(request, "Session saved.")
            return redirect(_session_url(session))

        def conflict(saved):
            saved.service_user = person
            return _conflict(
                request,
                person=person,
                session=saved,
                form=form,
                saved=saved,
                cancel_url=_session_url(saved),
                what="this session",
            )

        response = save_versioned(form=form, record=session, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        audit_view(request, person, session)
        form = SessionForm(instance=session, service_user=person)
    return render(
        request,
        "caseload/session_form.html",
        {"person": person, "session": session, "form": form, "title": "Edit session"},
    )


@require_http_methods(["GET", "POST"])
def session_delete(request, public_id, session_id):
    person = get_service_user_for(request.user, public_id, write=True)
    session = get_session_for(request.user, person, session_id)
    session.service_user = person
    require_supervisor_of(request.user, person)
    if request.method == "POST":
        services.session_delete(session=session, by=request.user, request=request)
        messages.success(request, "The session has been deleted.")
        return redirect("caseload:sessions", public_id=person.public_id)
    audit_view(request, person, session)
    return render(request, "caseload/session_delete.html", {"person": person, "session": session})
