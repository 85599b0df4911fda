"""The person's journey page and stage moves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from caseload.access import get_service_user_for
from caseload.audit import audit_view
from caseload.stages import Stage

from .cycle import cycle_picture
from .facts import gather_facts
from .forms import MoveStageForm
from .selectors import suggested_resources, visited_stages
from .services import person_move_stage
from .timeline import KINDS, journey_timeline
from .workflow import STAGE_HELP, evaluate, next_stage

TIMELINE_STEP = 50
TIMELINE_MAX = 500


def _fix_url(check, service_user):
    if not check.fix_url_name:
        return ""
    try:
        return reverse(check.fix_url_name, kwargs={"public_id": service_user.public_id})
    except NoReverseMatch:
        return ""


def _checklist(stage, facts, service_user):
    if not stage:
        return None
    return {
        "stage": Stage(stage),
        "help": STAGE_HELP[stage],
        "results": [
            {"label": r.label, "present": r.present, "url": _fix_url(r.check, service_user)}
            for r in evaluate(stage, facts)
        ],
    }


def journey(request, public_id):
    service_user = get_service_user_for(request.user, public_id)
    audit_view(request, service_user)
    facts = gather_facts([service_user])[service_user.pk]
    chosen = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    try:
        limit = int(request.GET.get("show", TIMELINE_STEP))
    except ValueError:
        limit = TIMELINE_STEP
    limit = max(TIMELINE_STEP, min(limit, TIMELINE_MAX))
    events = journey_timeline(service_user, kinds=chosen or None, limit=limit + 1)
    context = {
        "person": service_user,
        "cycle": cycle_picture(service_user.stage, visited_stages(service_user)),
        "current": _checklist(service_user.stage, facts, service_user),
        "upcoming": _checklist(next_stage(service_user.stage), facts, service_user)
        if service_user.stage != Stage.CLOSED
        else None,
        "resources": suggested_resources(service_user.stage),
        "events": events[:limit],
        "has_more": len(events) > limit and limit < TIMELINE_MAX,
        "show_more": limit + TIMELINE_STEP,
        "kinds": KINDS,
        "chosen": chosen,
    }
    return render(request, "connecting_people/journey.html", context)


@require_http_methods(["GET", "POST"])
def move_stage(request, public_id):
    service_user = get_service_user_for(request.user, public_id, write=True)
    facts = gather_facts([service_user])[service_user.pk]
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
            return redirect("journey", public_id=service_user.public_id)
    if request.method == "GET":
        audit_view(request, service_user)
    return render(
        request,
        "connecting_people/move_stage.html",
        {
            "person": service_user,
            "form": form,
            "current": _checklist(service_user.stage, facts, service_user),
            "is_closed": service_user.stage == Stage.CLOSED,
        },
    )
