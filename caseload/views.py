"""Caseload pages: the list, person records, sessions, allocation and audit log.

Every view that touches person data fetches the person through
:mod:`caseload.access` (outsiders get 404), audits its GETs, and leaves changes
to :mod:`caseload.services`.
"""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .access import (
    can_edit_session,
    get_service_user_for,
    get_session_for,
    supervises,
    visible_service_users,
)
from .audit import audit_view
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
from .models import ServiceUser, Session

PAGE_SIZE = 25
SESSIONS_PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50
RECENT_SESSIONS = 5


def _require_team_role(user):
    if not (user.is_worker or user.is_supervisor):
        raise PermissionDenied("Only workers and supervisors work with person records.")


def _require_supervisor(user, person):
    if not supervises(user, person):
        raise PermissionDenied("Only the team's supervisor can do this.")


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _submission_token(request):
    """The token a create form was issued with, or a new one for a blank form."""
    if request.method == "POST":
        try:
            return uuid.UUID(request.POST.get("submission_token", ""))
        except ValueError:
            return None
    return uuid.uuid4()


def _page(request, queryset, size):
    paginator = Paginator(queryset, size)
    return paginator.get_page(request.GET.get("page"))


# --------------------------------------------------------------------------
# Conflict page (no lost updates)
# --------------------------------------------------------------------------


def _display(field, value):
    """A field value as a reader would want to see it on the conflict page."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, ModelMultipleChoiceField):
        return ", ".join(field.label_from_instance(item) for item in value)
    if isinstance(field, ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    choices = getattr(field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _conflict_rows(form, saved):
    """(label, yours, saved, differs) for each field of a stale ``form``."""
    rows = []
    for name, field in form.fields.items():
        raw = form[name].value()
        try:
            shown_yours = _display(field, field.clean(raw))
        except ValidationError:
            # What was typed, as typed: it is not a valid value (not a model object,
            # not a date) so it cannot go through _display (that was a 500).
            shown_yours = ", ".join(map(str, raw)) if isinstance(raw, list) else str(raw or "")
        if isinstance(field, ModelMultipleChoiceField):
            current = list(getattr(saved, name).all())
        else:
            current = getattr(saved, name)
        shown_saved = _display(field, current)
        rows.append((field.label, shown_yours, shown_saved, shown_yours != shown_saved))
    return rows


def _save_versioned(request, *, form, record, save, conflict):
    """The no-lost-updates flow shared by every edit form of a versioned record.

    A posted ``version`` that is not the record's current one (or a save that
    loses a race, caught by the conditional UPDATE) gives the conflict page;
    a valid form is passed to ``save(version=, data=, changed=)``, whose
    response is returned. ``None`` means: show the form again with its errors.
    """
    version = _posted_version(request)
    if version != record.version:
        return conflict(type(record).objects.get(pk=record.pk))
    if not form.is_valid():
        return None
    try:
        return save(version=version, data=dict(form.cleaned_data), changed=form.changed_data)
    except services.StaleVersion as stale:
        return conflict(stale.current)


def _conflict(request, *, person, stale_form, saved, fresh_form, cancel_url, what, session=None):
    """The 409 page: both versions side by side, and the form again on the saved
    version (it shows person data, so it is audited as a view)."""
    audit_view(request, person, session)
    return render(
        request,
        "caseload/conflict.html",
        {
            "person": person,
            "session": session,
            "rows": _conflict_rows(stale_form, saved),
            "form": fresh_form,
            "version": saved.version,
            "action": request.path,
            "cancel_url": cancel_url,
            "what": what,
        },
        status=409,
    )


# --------------------------------------------------------------------------
# Caseload list
# --------------------------------------------------------------------------


def caseload_list(request):
    user = request.user
    _require_team_role(user)
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
    page = _page(request, people, PAGE_SIZE)
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
            "filtered": filtered,
            "columns": columns,
            "heading": "My caseload" if not user.is_supervisor else "Team caseload",
            "no_contact_days": selectors.no_contact_cutoff_days(),
            "no_contact_cutoff": selectors.no_contact_cutoff(),
            "today": timezone.localdate(),
        },
    )


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    _require_team_role(user)
    token = _submission_token(request)
    if request.method == "POST":
        form = PersonCreateForm(request.POST, user=user)
        if token:
            existing = ServiceUser.objects.filter(submission_token=token).first()
            if existing is not None:
                if visible_service_users(user).filter(pk=existing.pk).exists():
                    messages.info(request, "That form was already sent; the record was saved once.")
                    return redirect(existing)
                token = None  # a record this user may not see: ignore its token, never follow it
        if form.is_valid():
            data = dict(form.cleaned_data)
            co_workers = data.pop("co_workers", [])
            person, created = services.service_user_create(
                data=data, co_workers=co_workers, by=user, submission_token=token, request=request
            )
            if created:
                messages.success(request, f"{person.preferred_name}'s record has been created.")
            return redirect(person)
        token = token or uuid.uuid4()
    else:
        form = PersonCreateForm(user=user)
    return render(request, "caseload/person_form.html", {"form": form, "submission_token": token})


def person_detail(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    sessions = selectors.sessions_for(person)
    recent = list(sessions[:RECENT_SESSIONS])
    session_count = sessions.aggregate(n=Count("id"))["n"]
    today = timezone.localdate()
    return render(
        request,
        "caseload/person_detail.html",
        {
            "person": person,
            "co_workers": list(person.co_workers.all()),
            "recent_sessions": recent,
            "session_count": session_count,
            "stage_history": list(selectors.stage_history_for(person)),
            "allocations": list(selectors.allocation_history_for(person)),
            "is_supervisor": supervises(request.user, person),
            "no_contact": selectors.has_no_recent_contact(person, today),
            "no_contact_days": selectors.no_contact_cutoff_days(),
            "today": today,
        },
    )


EDIT_FORMS = {
    "details": (PersonDetailsForm, "Edit details", "details"),
    "consent": (ConsentForm, "Consent", "consent"),
    "what_matters": (WhatMattersForm, "What matters to me", "what matters to me"),
    "ending_summary": (EndingSummaryForm, "Ending summary", "ending summary"),
}


def _person_edit(request, public_id, section):
    form_class, title, what = EDIT_FORMS[section]
    person = get_service_user_for(request.user, public_id, write=True)
    extra = {"team": person.team} if form_class is PersonDetailsForm else {}
    if request.method == "POST":
        form = form_class(request.POST, instance=person, **extra)

        def save(*, version, data, changed):
            services.service_user_update(
                service_user=person,
                version=version,
                data=data,
                co_workers=data.pop("co_workers", None),
                by=request.user,
                changed=changed,
                request=request,
            )
            messages.success(request, f"{title} saved.")
            return redirect(person)

        def conflict(saved):
            return _conflict(
                request,
                person=saved,
                stale_form=form,
                saved=saved,
                fresh_form=form_class(instance=saved, **extra),
                cancel_url=saved.get_absolute_url(),
                what=what,
            )

        response = _save_versioned(request, form=form, record=person, save=save, conflict=conflict)
        if response is not None:
            return response
        version = _posted_version(request)  # keep the version the user loaded
    else:
        audit_view(request, person)
        form = form_class(instance=person, **extra)
        version = person.version
    return render(
        request,
        "caseload/person_edit.html",
        {"person": person, "form": form, "version": version, "title": title},
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
    _require_supervisor(request.user, person)
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
    _require_supervisor(request.user, person)
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
    _require_supervisor(request.user, person)
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
    _require_supervisor(request.user, person)
    audit_view(request, person)
    page = _page(request, selectors.audit_events_for(person), AUDIT_PAGE_SIZE)
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
    page = _page(request, selectors.sessions_for(person), SESSIONS_PAGE_SIZE)
    return render(
        request,
        "caseload/session_list.html",
        {"person": person, "page_obj": page, "sessions": page.object_list},
    )


@require_http_methods(["GET", "POST"])
def session_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    token = _submission_token(request)
    if request.method == "POST":
        if token:
            existing = Session.objects.filter(submission_token=token, service_user=person).first()
            if existing is not None:
                messages.info(request, "That session was already saved; it was saved once.")
                return redirect(_session_url(existing))
        form = SessionForm(request.POST, service_user=person)
        if form.is_valid():
            data = dict(form.cleaned_data)
            resources = data.pop("resources_used", [])
            session, created = services.session_create(
                service_user=person,
                by=request.user,
                data=data,
                resources=resources,
                submission_token=token,
                request=request,
            )
            if created:
                messages.success(request, "Session saved.")
            return redirect(_session_url(session))
        token = token or uuid.uuid4()
    else:
        audit_view(request, person)
        form = SessionForm(service_user=person)
    return render(
        request,
        "caseload/session_form.html",
        {"person": person, "form": form, "submission_token": token, "title": "Log a session"},
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
    if not can_edit_session(request.user, session):
        raise PermissionDenied(
            "Sessions can be changed by their author for 7 days, and by supervisors."
        )
    if request.method == "POST":
        form = SessionForm(request.POST, instance=session, service_user=person)

        def save(*, version, data, changed):
            services.session_update(
                session=session,
                version=version,
                data=data,
                resources=data.pop("resources_used", None),
                by=request.user,
                changed=changed,
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
                stale_form=form,
                saved=saved,
                fresh_form=SessionForm(instance=saved, service_user=person),
                cancel_url=_session_url(saved),
                what="session",
            )

        response = _save_versioned(request, form=form, record=session, save=save, conflict=conflict)
        if response is not None:
            return response
        version = _posted_version(request)  # keep the version the user loaded
    else:
        audit_view(request, person, session)
        form = SessionForm(instance=session, service_user=person)
        version = session.version
    return render(
        request,
        "caseload/session_form.html",
        {
            "person": person,
            "session": session,
            "form": form,
            "version": version,
            "title": "Edit session",
        },
    )


@require_http_methods(["GET", "POST"])
def session_delete(request, public_id, session_id):
    person = get_service_user_for(request.user, public_id, write=True)
    session = get_session_for(request.user, person, session_id)
    session.service_user = person
    _require_supervisor(request.user, person)
    if request.method == "POST":
        services.session_delete(session=session, by=request.user, request=request)
        messages.success(request, "The session has been deleted.")
        return redirect("caseload:sessions", public_id=person.public_id)
    audit_view(request, person, session)
    return render(request, "caseload/session_delete.html", {"person": person, "session": session})
