"""The workflow's pages: the person's journey and stage moves, the worker's
board and the supervisor's dashboard."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from caseload.access import get_service_user_for, visible_service_users
from caseload.audit import Action, audit_record, audit_view
from caseload.selectors import open_only
from caseload.stages import Stage
from caseload.subject_access import team_data_requests
from core.csv import safe_cell
from core.paging import paginate
from core.replica import report_reads
from goals.selectors import review_due_q, with_latest_t_score, with_review_due
from networks.selectors import with_network_size

from . import dashboard as figures
from . import kept_figures
from .board import kept_board
from .facts import (
    FLAG_LABELS,
    facts_for_checks,
    flag_label,
    no_contact_q,
)
from .forms import MoveStageForm
from .journey import (
    TIMELINE_MAX,
    TIMELINE_STEP,
    checklist,
    journey_parts,
    kept_journey_parts,
)
from .selectors import suggested_resources
from .services import person_move_stage
from .summary import person_summary as summary_for
from .timeline import KINDS
from .week import my_week as week_for


def journey(request, public_id):
    service_user = get_service_user_for(request.user, public_id)
    audit_view(request, service_user)
    chosen = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    try:
        limit = int(request.GET.get("show", TIMELINE_STEP))
    except ValueError:
        limit = TIMELINE_STEP
    limit = max(TIMELINE_STEP, min(limit, TIMELINE_MAX))
    if chosen or limit != TIMELINE_STEP:
        parts = journey_parts(service_user, kinds=chosen, limit=limit)
    else:
        parts = kept_journey_parts(service_user)
    context = {
        "person": service_user,
        # Rendered here from the person's records (journey_parts): safe HTML.
        "parts": {name: mark_safe(html) for name, html in parts.items()},  # noqa: S308
        "resources": suggested_resources(service_user.stage),
        "kinds": KINDS,
        "chosen": chosen,
    }
    return render(request, "workflow/journey.html", context)


def _audit_summary(request, service_user, action, detail):
    audit_record(
        actor=request.user,
        action=action,
        service_user=service_user,
        object_type="summary",
        request=request,
        detail=detail,
    )


def person_summary(request, public_id):
    """“My map and my goals”: the summary written for the person. Each opening
    is recorded (the summary's own audit event)."""
    service_user = get_service_user_for(request.user, public_id)
    _audit_summary(request, service_user, Action.VIEW, "opened")
    large = request.GET.get("size") == "large"
    context = {
        "person": service_user,
        "large": large,
        "printing": request.GET.get("print") == "1",
        **summary_for(service_user),
    }
    return render(request, "workflow/summary.html", context)


@require_http_methods(["POST"])
def person_summary_print(request, public_id):
    """Record that the summary is being printed, then open it ready to print
    (a script asks the browser to print). The script also records prints
    started from the browser's own menu, answered with 204."""
    service_user = get_service_user_for(request.user, public_id)
    _audit_summary(request, service_user, Action.EXPORT, "printed")
    if request.headers.get("X-CP-Beacon") == "print":
        return HttpResponse(status=204)
    url = reverse("workflow:person_summary", args=[service_user.public_id]) + "?print=1"
    if request.POST.get("size") == "large":
        url += "&size=large"
    return redirect(url)


@require_http_methods(["GET", "POST"])
def move_stage(request, public_id):
    service_user = get_service_user_for(request.user, public_id, write=True)
    form = MoveStageForm(request.POST or None, service_user=service_user)
    if request.method == "POST" and form.is_valid():
        try:
            person_move_stage(
                service_user=service_user,
                to_stage=form.cleaned_data["to_stage"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            field = "reason" if error.code == "reason_required" else None
            form.add_error(field, error)
        else:
            messages.success(
                request,
                f"{service_user.preferred_name} is now at “{service_user.get_stage_display()}”.",
            )
            return redirect("workflow:journey", public_id=service_user.public_id)
    if request.method == "GET":
        audit_view(request, service_user)
    return render(
        request,
        "workflow/move_stage.html",
        {
            "person": service_user,
            "form": form,
            # Read for the page only: a move that succeeds has checked them already.
            "current": checklist(
                service_user.stage, facts_for_checks(service_user, service_user.stage), service_user
            ),
            "is_closed": service_user.stage == Stage.CLOSED,
        },
    )


def board(request):
    chosen_flag = request.GET.get("flag", "")
    if chosen_flag not in FLAG_LABELS:
        chosen_flag = ""
    chosen_stage = request.GET.get("stage", "")
    if chosen_stage not in Stage.values or chosen_stage == Stage.CLOSED:
        chosen_stage = ""
    body = kept_board(request.user, flag=chosen_flag, stage=chosen_stage)
    # Rendered by workflow.board from the caseload's records: safe HTML.
    return render(request, "workflow/board.html", {"body": mark_safe(body)})  # noqa: S308


def my_week(request):
    """The worker's planned contacts this week, by day: a page to print."""
    return render(request, "workflow/my_week.html", {"week": week_for(request.user)})


def _dashboard_context(request, *, kept_seconds=0, html=True):
    """The dashboard for the team asked for. Its counted figures are kept for
    ``kept_seconds`` (per user and team) unless the request asks to recount;
    ``html``: with the figures' part of the page rendered."""
    teams = list(figures.supervised_teams(request.user))
    team = figures.team_for(request.user, request.GET.get("team"), among=teams)
    counted = kept_figures.team_figures(
        request.user,
        team,
        seconds=kept_seconds,
        recount="recount" in request.GET,
        # Counted from the read replica (core/replica.py): the figures are as of its last change.
        copy_as_of=lambda: getattr(request, "figures_as_of", None),
        html=html,
    )
    return {
        **counted.value,
        # Rendered by our own template when counted (kept_figures.FIGURES_TEMPLATE).
        "figures_html": mark_safe(counted.value.get("html", "")),  # noqa: S308
        "figures": counted,
        "recount_url": "?" + urlencode({"team": team.public_id, "recount": 1}),
        "team": team,
        "teams": teams,
        "no_contact_days": figures.no_contact_days(),
        "review_weeks": settings.CONNECTING_PEOPLE["REVIEW_INTERVAL_WEEKS"],
        "data_requests": team_data_requests(request.user, team),
    }


@role_required("supervisor")
@report_reads
def supervisor_dashboard(request):
    """The team's figures, kept for a few minutes (``CP_DASHBOARD_FIGURES_SECONDS``):
    counting a large team's caseload on every visit would make the page slow for
    everyone. The download is always counted afresh."""
    context = _dashboard_context(request, kept_seconds=kept_figures.kept_seconds())
    return render(request, "workflow/dashboard.html", context)


@role_required("supervisor")
@report_reads
def dashboard_export(request):
    context = _dashboard_context(request, html=False)
    team = context["team"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="team-dashboard-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["team", safe_cell(team.name)])
    writer.writerow(["date", stamp])
    writer.writerow([])
    stage_labels = [stage.label for stage in context["stages"]]
    writer.writerow(
        [
            "worker",
            "open caseload",
            *stage_labels,
            "days since contact (least)",
            "days since contact (median)",
            "days since contact (most)",
            "never contacted",
            f"no contact for {context['no_contact_days']}+ days",
            "overdue reviews",
        ]
    )
    for row in context["workers"]:
        writer.writerow(
            [
                safe_cell(row.worker),
                row.caseload,
                *[row.by_stage[s.value] for s in context["stages"]],
                row.days_since_contact_min,
                row.days_since_contact_median,
                row.days_since_contact_max,
                row.never_contacted,
                row.no_contact,
                row.overdue_reviews,
            ]
        )
    outcomes = context["outcomes"]
    writer.writerow([])
    writer.writerow(["outcome", "value"])
    writer.writerow(["open cases with a baseline network map", outcomes["with_baseline"]])
    writer.writerow(["of those, network grew since baseline", outcomes["grew"]])
    writer.writerow(["median change in network size since baseline", outcomes["median_change"]])
    writer.writerow(["open cases with a goal review", outcomes["reviewed"]])
    writer.writerow(["median latest T-score", outcomes["median_t_score"]])
    writer.writerow(["goals achieved (all time)", outcomes["goals_achieved"]])
    fidelity = context["fidelity"]
    writer.writerow([])
    writer.writerow(
        [
            f"practice fidelity (high from {fidelity.threshold_percent}%)",
            "people with components due",
            "high",
            "low or moderate",
            "nothing due yet",
        ]
    )
    for row in [*fidelity.workers, fidelity.team]:
        label = "whole team" if row is fidelity.team else row.label
        writer.writerow([safe_cell(label), row.counted, row.high, row.low, row.not_yet])
    writer.writerow([])
    writer.writerow(["stage", "people now", "median days in stage"])
    days = dict(context["days_in_stage"])
    for stage, count in context["by_stage"]:
        writer.writerow([stage.label, count, days.get(stage)])
    return response


def _review_due(people):
    return with_review_due(people).filter(review_due_q())


def _grew(people):
    return with_network_size(people).filter(
        baseline_size__isnull=False, network_size__gt=F("baseline_size")
    )


def _has_baseline(people):
    return with_network_size(people).filter(baseline_size__isnull=False)


def _reviewed(people):
    return with_latest_t_score(people).filter(latest_t_score__isnull=False)


# Dashboard figures that drill down to people: flag → (filter, description).
DRILL_FLAGS = {
    "no_contact": (lambda people: people.filter(no_contact_q()), None),
    "review_due": (_review_due, "with a goal review due"),
    "grew": (_grew, "whose network grew since the baseline"),
    "has_baseline": (_has_baseline, "with a baseline network map"),
    "reviewed": (_reviewed, "with a goal review"),
}


@role_required("supervisor")
def dashboard_people(request):
    """The people behind a dashboard figure, within what the user may see."""
    team = figures.team_for(request.user, request.GET.get("team"))
    people = (
        open_only(visible_service_users(request.user).filter(team=team))
        .select_related("allocated_worker")
        .order_by("preferred_name", "id")
    )
    description = []
    worker_id = request.GET.get("worker", "")
    if worker_id:
        worker = figures.team_worker(team, worker_id)
        people = people.filter(allocated_worker=worker)
        description.append(f"allocated to {worker}")
    stage = request.GET.get("stage", "")
    if stage:
        if stage not in Stage.values or stage == Stage.CLOSED:
            raise Http404("No such stage")
        people = people.filter(stage=stage)
        description.append(f"at “{Stage(stage).label}”")
    flag = request.GET.get("flag", "")
    if flag:
        if flag not in DRILL_FLAGS:
            raise Http404("No such figure")
        narrow, words = DRILL_FLAGS[flag]
        people = narrow(people)
        description.append(words or flag_label(flag).lower())
    return render(
        request,
        "workflow/dashboard_people.html",
        {"team": team, "page_obj": paginate(request, people, 25), "description": description},
    )
