"""Group session pages. People are offered and checked through
``caseload.access``; a group session is visible to whoever may see one of its
people, and shows only the people (and notes) that user may see."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from caseload.access import get_service_user_for
from caseload.audit import audit_view
from caseload.models import GroupSession
from core.views import render_conflict, save_versioned
from toolkit.models import Service

from . import group_sessions as services
from .group_forms import GroupSessionForm, attendee_formset

DEFAULT_ROWS = 6
MAX_ROWS = 30


def _group_url(group):
    return reverse("safety:group_session", kwargs={"group_id": group.public_id})


def _rows(request):
    try:
        return max(1, min(MAX_ROWS, int(request.GET.get("rows", DEFAULT_ROWS))))
    except ValueError:
        return DEFAULT_ROWS


def _opportunities():
    return Service.objects.offerable().order_by("name")


def _forms(request, user, data=None, first=None):
    people = list(services.group_people(user))
    goals = list(services.group_goals(people))
    people_choices = [(str(p.public_id), p.preferred_name) for p in people]
    goal_choices = [(str(g.public_id), f"{g.service_user.preferred_name}: {g}") for g in goals]
    first = str(first.public_id) if first is not None else ""
    initial = [{"person": first}] if data is None and first in dict(people_choices) else None
    formset = attendee_formset(_rows(request))(
        data,
        initial=initial,
        prefix="attendees",
        goals_by_id={str(g.public_id): g for g in goals},
        form_kwargs={"people_choices": people_choices, "goal_choices": goal_choices},
    )
    return formset, people


def _group_for(user, group_id):
    try:
        group = GroupSession.objects.select_related("author", "opportunity").get(public_id=group_id)
    except (GroupSession.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such group session") from exc
    seen, others = services.attendances_seen_by(user, group)
    if not seen:
        raise Http404("No such group session")
    return group, seen, others


@role_required("team")
@require_http_methods(["GET", "POST"])
def group_session_create(request):
    return _create(request)


@require_http_methods(["GET", "POST"])
def group_session_create_for(request, public_id):
    """The same form, from a person's sessions: they are the first attendee."""
    person = get_service_user_for(request.user, public_id, write=True)
    if request.method == "GET":
        audit_view(request, person)
    return _create(request, first=person)


def _create(request, first=None):
    if request.method == "POST":
        form = GroupSessionForm(request.POST, opportunities=_opportunities())
        formset, _people = _forms(request, request.user, request.POST)
        form_ok, rows_ok = form.is_valid(), formset.is_valid()
        if form_ok and rows_ok:
            try:
                group, created = services.group_session_create(
                    by=request.user,
                    values=form.model_values(),
                    attendees=formset.attendees(),
                    submission_token=form.submission_token,
                    request=request,
                )
            except (PermissionDenied, ValidationError) as refused:
                messages.error(request, f"Nothing was saved: {_reason(refused)}")
            else:
                if created:
                    messages.success(request, "Group session saved for each person.")
                else:
                    messages.info(
                        request, "That group session was already saved; it was saved once."
                    )
                return redirect(_group_url(group))
    else:
        form = GroupSessionForm(opportunities=_opportunities())
        formset, _people = _forms(request, request.user, first=first)
    return render(
        request,
        "safety/group_session_form.html",
        {
            "form": form,
            "formset": formset,
            "rows": _rows(request),
            "more_rows": min(MAX_ROWS, _rows(request) + 6),
            "errors": form.errors or any(f.errors for f in formset.forms),
            # The layout prefixes "Error: " for the group's own fields; the rows' need this.
            "row_errors": not form.errors and any(f.errors for f in formset.forms),
        },
    )


def _reason(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@role_required("team")
@require_http_methods(["GET"])
def group_session_detail(request, group_id):
    group, seen, others = _group_for(request.user, group_id)
    for session in seen:
        audit_view(request, session.service_user, group)
    return render(
        request,
        "safety/group_session_detail.html",
        {
            "group": group,
            "sessions": seen,
            "others": others,
            "can_edit": services.can_edit_group(request.user, group, seen),
        },
    )


@role_required("team")
@require_http_methods(["GET", "POST"])
def group_session_edit(request, group_id):
    group, seen, _others = _group_for(request.user, group_id)
    if not services.can_edit_group(request.user, group, seen):
        raise PermissionDenied("Group sessions are changed by who logged them, or a supervisor.")
    if request.method == "POST":
        form = GroupSessionForm(request.POST, instance=group, opportunities=_opportunities())

        def save():
            services.group_session_update(
                group=group,
                by=request.user,
                values=form.model_values(),
                expected_version=form.version,
                changed=form.changed_data,
                request=request,
            )
            messages.success(request, "Group session saved.")
            return redirect(_group_url(group))

        def conflict(saved):
            return render_conflict(
                request,
                form=form,
                saved=saved,
                what="this group session",
                cancel_url=_group_url(group),
            )

        response = save_versioned(form=form, record=group, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        form = GroupSessionForm(instance=group, opportunities=_opportunities())
    return render(request, "safety/group_session_edit.html", {"form": form, "group": group})
