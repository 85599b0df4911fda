"""Safety pages. A person's alert pages fetch the person through
``caseload.access`` (outsiders get 404) and audit every GET; check-ins are the
signed-in worker's own; team settings are the team's supervisors'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from caseload.access import get_service_user_for
from caseload.audit import audit_view
from core.idempotency import created_before
from core.views import render_conflict, save_versioned

from . import selectors, services
from .forms import AlertForm, CheckInForm, EndAlertForm, TeamCheckInsForm
from .models import LoneWorkingCheckIn, RiskAlert


def _alerts_url(person):
    return reverse("safety:alerts", kwargs={"public_id": person.public_id})


def _alert_for(person, alert_id):
    alert = selectors.alert_for(person, alert_id)
    if alert is None:
        raise Http404("No such alert")
    return alert


@require_http_methods(["GET"])
def alert_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    alerts = list(selectors.alerts_for(person))
    today = timezone.localdate()
    return render(
        request,
        "safety/alert_list.html",
        {
            "person": person,
            "active": [a for a in alerts if a.is_active],
            "ended": [a for a in alerts if not a.is_active],
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def alert_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    if request.method == "POST":
        form = AlertForm(request.POST)
        alert = None
        if form.is_valid():
            alert, created = services.alert_create(
                service_user=person,
                by=request.user,
                values=form.model_values(),
                submission_token=form.submission_token,
                request=request,
            )
        else:
            alert = created_before(
                RiskAlert,
                submission_token=form.submission_token,
                belongs=lambda record: record.service_user_id == person.pk,
            )
            created = False
        if alert is not None:
            if created:
                messages.success(
                    request, "Alert recorded. It shows on every page about this person."
                )
            else:
                messages.info(request, "That alert was already recorded; it was recorded once.")
            return redirect(_alerts_url(person))
    else:
        audit_view(request, person)
        form = AlertForm()
    return render(
        request,
        "safety/alert_form.html",
        {"person": person, "form": form, "title": "Record a risk or safety alert"},
    )


@require_http_methods(["GET", "POST"])
def alert_edit(request, public_id, alert_id):
    person = get_service_user_for(request.user, public_id, write=True)
    alert = _alert_for(person, alert_id)
    if not alert.is_active:
        messages.info(request, "This alert has ended, so it cannot be changed.")
        return redirect(_alerts_url(person))
    if request.method == "POST":
        form = AlertForm(request.POST, instance=alert)

        def save():
            services.alert_update(
                alert=alert,
                by=request.user,
                values=form.model_values(),
                expected_version=form.version,
                changed=form.changed_data,
                request=request,
            )
            messages.success(request, "Alert saved.")
            return redirect(_alerts_url(person))

        def conflict(saved):
            audit_view(request, person, saved)
            return render_conflict(
                request,
                form=form,
                saved=saved,
                what="this alert",
                cancel_url=_alerts_url(person),
                context={"person": person},
            )

        response = save_versioned(form=form, record=alert, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        audit_view(request, person, alert)
        form = AlertForm(instance=alert)
    return render(
        request,
        "safety/alert_form.html",
        {"person": person, "form": form, "alert": alert, "title": "Change an alert"},
    )


@require_http_methods(["GET", "POST"])
def alert_end(request, public_id, alert_id):
    person = get_service_user_for(request.user, public_id, write=True)
    alert = _alert_for(person, alert_id)
    if not alert.is_active:
        messages.info(request, "This alert had already ended.")
        return redirect(_alerts_url(person))
    if request.method == "POST":
        form = EndAlertForm(request.POST)
        if form.is_valid():
            if services.alert_end(
                alert=alert,
                by=request.user,
                reason=form.cleaned_data["end_reason"],
                request=request,
            ):
                messages.success(request, "Alert ended. It no longer shows on this person's pages.")
            else:
                messages.info(request, "This alert had already ended.")
            return redirect(_alerts_url(person))
    else:
        audit_view(request, person, alert)
        form = EndAlertForm()
    return render(
        request, "safety/alert_end.html", {"person": person, "alert": alert, "form": form}
    )


# --------------------------------------------------------------------------
# Lone-working check-ins
# --------------------------------------------------------------------------


def _check_in_team(user):
    """The team a worker checks in with: their first team using check-ins."""
    enabled = selectors.teams_using_check_ins(user.worker_team_ids)
    teams = [team for team in user.teams if team.pk in enabled]
    return teams[0] if teams else None


@role_required("team")
@require_http_methods(["GET"])
def safety_overview(request):
    """The user's check-ins (workers), their teams' settings and overdue
    check-ins (supervisors), and alerts past their review date (both)."""
    user = request.user
    team = _check_in_team(user) if user.is_worker else None
    return render(
        request,
        "safety/overview.html",
        {
            "check_in_team": team,
            "form": CheckInForm(people=selectors.check_in_people(user)) if team else None,
            "open_check_ins": list(selectors.open_check_ins_of(user)),
            "recent_check_ins": list(selectors.recent_check_ins_of(user)),
            "team_settings": selectors.team_settings_for(user.supervised_teams),
            "past_review": list(selectors.alerts_past_review(user)),
            "now": timezone.now(),
        },
    )


@role_required("worker")
@require_http_methods(["GET", "POST"])
def check_in_start(request):
    user = request.user
    team = _check_in_team(user)
    if team is None:
        raise PermissionDenied("Your team does not use lone-working check-ins.")
    people = selectors.check_in_people(user)
    if request.method == "POST":
        form = CheckInForm(request.POST, people=people)
        check_in = None
        if form.is_valid():
            check_in, created = services.check_in_start(
                worker=user,
                team=team,
                values=form.cleaned_data,
                submission_token=form.submission_token,
                started_at=form.started_at,
                request=request,
            )
        else:
            check_in = created_before(
                LoneWorkingCheckIn,
                submission_token=form.submission_token,
                belongs=lambda record: record.worker_id == user.pk,
            )
            created = False
        if check_in is not None:
            if created:
                back = timezone.localtime(check_in.expected_back_at)
                messages.success(
                    request,
                    f"Checked in. Press “I'm back” when you are back; your supervisors are told "
                    f"if you have not by {back:%H:%M} plus 30 minutes.",
                )
            else:
                messages.info(request, "That check-in was already started; it was started once.")
            return redirect("safety:overview")
    else:
        form = CheckInForm(people=people)
    return render(request, "safety/check_in_form.html", {"form": form, "team": team})


@role_required("worker")
@require_POST
def check_in_back(request, check_in_id):
    check_in = selectors.check_in_of(request.user, check_in_id)
    if check_in is None:
        raise Http404("No such check-in")
    if services.check_in_close(check_in=check_in, by=request.user):
        messages.success(request, "Welcome back. Your check-in is closed.")
    else:
        messages.info(request, "That check-in was already closed.")
    return redirect("safety:overview")


@role_required("supervisor")
@require_POST
def team_check_ins(request, team_id):
    teams = {str(team.public_id): team for team in request.user.supervised_teams}
    team = teams.get(str(team_id))
    if team is None:
        raise Http404("No such team")
    form = TeamCheckInsForm(request.POST)
    form.is_valid()
    enabled = form.cleaned_data.get("check_ins_enabled", False)
    services.team_set_check_ins(team=team, enabled=enabled, by=request.user)
    messages.success(
        request,
        f"Lone-working check-ins are now {'on' if enabled else 'off'} for {team.name}.",
    )
    return redirect("safety:overview")
