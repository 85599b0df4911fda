"""Goals pages for one person. Every view fetches the person through
``caseload.access`` and everything else through that person (404 otherwise)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from caseload.access import (
    can_edit_session,
    get_service_user_for,
    get_session_for,
    require_can_edit_session,
)
from caseload.audit import audit_view
from caseload.kept import kept_part
from core.views import render_conflict, save_versioned

from . import charts, selectors, services
from .forms import (
    GoalCreateForm,
    GoalEditForm,
    ReviewForm,
    SessionGoalsForm,
    StepCreateForm,
    StepEditForm,
)
from .models import Goal, GoalStatus, Step


def _goal_for(person, goal_id):
    return get_object_or_404(
        Goal.objects.select_related("service_user", "replaced_by"),
        service_user=person,
        public_id=goal_id,
    )


def _step_for(goal, step_id):
    return get_object_or_404(Step, goal=goal, public_id=step_id)


def _review_datetime(day):
    """A review on ``day``: now if it is today, else midday that day (local time)."""
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@require_http_methods(["GET"])
def goal_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    return render(
        request,
        "goals/goal_list.html",
        {"person": person, "part": kept_part(request, person, "goals")},
    )


@require_http_methods(["GET", "POST"])
def goal_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    if request.method == "POST":
        form = GoalCreateForm(request.POST, service_user=person)
        if form.is_valid():
            goal, created = services.goal_create(
                service_user=person,
                by=request.user,
                values=form.model_values(),
                opportunities=form.cleaned_data["opportunities"],
                members=form.cleaned_data.get("members", ()),
                submission_token=form.submission_token,
                request=request,
            )
            if created:
                messages.success(request, "Goal added. Add the first steps towards it.")
            else:
                messages.info(request, "This goal was already saved; it was not added twice.")
            return redirect(goal.get_absolute_url())
    else:
        form = GoalCreateForm(service_user=person)
        audit_view(request, person)
    return render(request, "goals/goal_form.html", {"person": person, "form": form})


@require_http_methods(["GET"])
def goal_detail(request, public_id, goal_id):
    person = get_service_user_for(request.user, public_id)
    goal = get_object_or_404(selectors.goals_for(person), public_id=goal_id)
    goal.current_level = selectors.current_level(goal)
    audit_view(request, person, goal)
    ratings = goal.ratings.select_related("review__reviewed_by", "review__service_user").order_by(
        "-review__reviewed_at", "-review_id"
    )
    return render(
        request,
        "goals/goal_detail.html",
        {
            "person": person,
            "goal": goal,
            "ratings": ratings,
            "session_links": selectors.sessions_for_goal(goal),
            "replaces": goal.replaces.all(),
            "today": timezone.localdate(),
        },
    )


def _conflict(request, *, person, form, saved, what, fields_template, goal):
    """The 409 page of a stale goal or step edit (person data: audited as a view)."""
    audit_view(request, person, saved)
    return render_conflict(
        request,
        form=form,
        saved=saved,
        what=what,
        cancel_url=goal.get_absolute_url(),
        fields_template=fields_template,
        context={
            "person": person,
            "goal": goal,
            "breadcrumbs_template": "goals/_breadcrumbs.html",
            "current": "Conflict",
            "stylesheets": ["goals/goals.css"],
        },
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request, public_id, goal_id):
    person = get_service_user_for(request.user, public_id, write=True)
    goal = _goal_for(person, goal_id)
    if request.method == "POST":
        form = GoalEditForm(request.POST, instance=goal, service_user=person)

        def save():
            services.goal_update(
                goal=goal,
                by=request.user,
                values=form.model_values(),
                opportunities=form.cleaned_data["opportunities"],
                members=form.cleaned_data["members"] if "members" in form.fields else None,
                expected_version=form.version,
                request=request,
            )
            messages.success(request, "Goal saved.")
            return redirect(goal.get_absolute_url())

        def conflict(saved):
            return _conflict(
                request,
                person=person,
                form=form,
                saved=saved,
                what="this goal",
                fields_template="goals/_goal_fields.html",
                goal=saved,
            )

        response = save_versioned(form=form, record=goal, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        form = GoalEditForm(instance=goal, service_user=person)
        audit_view(request, person, goal)
    return render(request, "goals/goal_form.html", {"person": person, "goal": goal, "form": form})


@require_http_methods(["GET", "POST"])
def step_create(request, public_id, goal_id):
    person = get_service_user_for(request.user, public_id, write=True)
    goal = _goal_for(person, goal_id)
    if request.method == "POST":
        form = StepCreateForm(request.POST, goal=goal)
        if form.is_valid():
            _step, created = services.step_create(
                goal=goal,
                by=request.user,
                values=form.model_values(),
                submission_token=form.submission_token,
                request=request,
            )
            messages.success(request, "Step added." if created else "This step was already saved.")
            return redirect(goal.get_absolute_url())
    else:
        form = StepCreateForm(goal=goal)
        audit_view(request, person, goal)
    return render(request, "goals/step_form.html", {"person": person, "goal": goal, "form": form})


@require_http_methods(["GET", "POST"])
def step_edit(request, public_id, goal_id, step_id):
    person = get_service_user_for(request.user, public_id, write=True)
    goal = _goal_for(person, goal_id)
    step = _step_for(goal, step_id)
    if request.method == "POST":
        form = StepEditForm(request.POST, instance=step, goal=goal)

        def save():
            services.step_update(
                step=step,
                by=request.user,
                values=form.model_values(),
                expected_version=form.version,
                request=request,
            )
            messages.success(request, "Step saved.")
            return redirect(goal.get_absolute_url())

        def conflict(saved):
            return _conflict(
                request,
                person=person,
                form=form,
                saved=saved,
                what="this step",
                fields_template="goals/_step_fields.html",
                goal=goal,
            )

        response = save_versioned(form=form, record=step, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        form = StepEditForm(instance=step, goal=goal)
        audit_view(request, person, step)
    return render(
        request,
        "goals/step_form.html",
        {"person": person, "goal": goal, "step": step, "form": form},
    )


@require_POST
def step_done(request, public_id, goal_id, step_id):
    """Mark a step done (``done=1``) or not done (``done=0``)."""
    person = get_service_user_for(request.user, public_id, write=True)
    goal = _goal_for(person, goal_id)
    step = _step_for(goal, step_id)
    done = request.POST.get("done", "1") != "0"
    services.step_set_done(step=step, by=request.user, done=done, request=request)
    messages.success(
        request, f"Marked “{step.what}” as done." if done else f"Marked “{step.what}” as not done."
    )
    if request.POST.get("back") == "list":
        return redirect("goals:list", public_id=person.public_id)
    return redirect(goal.get_absolute_url())


@require_http_methods(["GET", "POST"])
def step_delete(request, public_id, goal_id, step_id):
    person = get_service_user_for(request.user, public_id, write=True)
    goal = _goal_for(person, goal_id)
    step = _step_for(goal, step_id)
    if request.method == "POST":
        services.step_delete(step=step, by=request.user, request=request)
        messages.success(request, f"Step “{step.what}” deleted.")
        return redirect(goal.get_absolute_url())
    audit_view(request, person, step)
    return render(
        request, "goals/step_confirm_delete.html", {"person": person, "goal": goal, "step": step}
    )


@require_http_methods(["GET"])
def review_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    history = selectors.review_history(person)
    return render(
        request,
        "goals/review_list.html",
        {
            "person": person,
            "history": history,
            "t_chart": charts.t_score_chart(history),
            "levels_chart": charts.levels_chart(history),
            "table": charts.history_table(history),
            "reviews_newest_first": list(reversed(history["reviews"])),
        },
    )


@require_http_methods(["GET", "POST"])
def review_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    goals = list(selectors.active_goals_for(person))
    other_goals = Goal.objects.filter(service_user=person).exclude(status=GoalStatus.ACTIVE)
    if request.method == "POST":
        form = ReviewForm(request.POST, goals=goals, other_goals=other_goals)
        if form.is_valid():
            try:
                review, created = services.review_create(
                    service_user=person,
                    by=request.user,
                    reviewed_at=_review_datetime(form.cleaned_data["reviewed_on"]),
                    ratings=form.ratings(),
                    note=form.cleaned_data["note"],
                    submission_token=form.submission_token,
                    request=request,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                if created:
                    score = review.t_score
                    messages.success(
                        request,
                        f"Review saved. T-score {score:.2f}."
                        if score is not None
                        else "Review saved. No T-score: every goal rated has weight 0.",
                    )
                else:
                    messages.info(request, "This review was already saved; it was not added twice.")
                return redirect(review.get_absolute_url())
    else:
        form = ReviewForm(goals=goals, other_goals=())
        audit_view(request, person)
    return render(request, "goals/review_form.html", {"person": person, "form": form})


@require_http_methods(["GET"])
def review_detail(request, public_id, review_id):
    person = get_service_user_for(request.user, public_id)
    review = get_object_or_404(selectors.reviews_for(person), public_id=review_id)
    audit_view(request, person, review)
    return render(request, "goals/review_detail.html", {"person": person, "review": review})


@require_http_methods(["GET", "POST"])
def session_goals(request, public_id, session_id):
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    session = get_session_for(request.user, person, session_id)
    linked = set(selectors.goals_linked_to_session(session).values_list("public_id", flat=True))
    choices = (
        Goal.objects.filter(service_user=person)
        .select_related("service_user")
        .order_by("set_on", "id")
    )
    # Offer the active goals, and any ended goal this session already worked on.
    choices = choices.filter(Q(status=GoalStatus.ACTIVE) | Q(public_id__in=linked))
    editable = can_edit_session(request.user, session)
    if request.method == "POST":
        require_can_edit_session(request.user, session)
        form = SessionGoalsForm(request.POST, goals_queryset=choices)
        if form.is_valid():
            changed = services.session_set_goals(
                session=session,
                goals=list(form.cleaned_data["goals"]),
                by=request.user,
                request=request,
            )
            messages.success(
                request, "Goals for this session saved." if changed else "No change to save."
            )
            return redirect(
                "goals:session_goals", public_id=person.public_id, session_id=session.public_id
            )
    else:
        form = SessionGoalsForm(goals_queryset=choices, initial={"goals": list(linked)})
        audit_view(request, person, session)
    return render(
        request,
        "goals/session_goals.html",
        {
            "person": person,
            "session": session,
            "form": form,
            "editable": editable,
            "linked_goals": [g for g in choices if g.public_id in linked],
        },
    )
