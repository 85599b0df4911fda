"""Outcome measures pages. A person's pages fetch the person through
``caseload.access`` and everything else through that person (404 otherwise);
instrument pages are for anyone in a team and administrators; team figures
for the team's supervisors."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import selectors as accounts
from accounts.decorators import has_role, role_required
from caseload.access import get_service_user_for, require_supervisor_of, supervises
from caseload.audit import audit_view
from core.csv import safe_cell
from core.idempotency import created_before
from core.paging import paginate
from core.replica import report_reads
from core.views import render_conflict, save_versioned

from . import charts, selectors, services
from .forms import ResultForm, initial_for
from .models import Result
from .scoring import Score

ALREADY_SAVED = "This result was already saved; it was not added twice."


def _result_for(person, result_id):
    result = selectors.result_for(person, result_id)
    if result is None:
        raise Http404("No such result")
    return result


@require_http_methods(["GET"])
def outcome_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    histories = selectors.person_outcomes(person)
    for history in histories:
        history.chart = charts.history_chart(history)
    return render(
        request,
        "outcomes/outcome_list.html",
        {
            "person": person,
            "histories": histories,
            "due": [history.due for history in histories if history.due],
            "instruments": list(selectors.offered_instruments()),
        },
    )


def _chosen_instrument(request):
    code = request.POST.get("instrument") or request.GET.get("instrument") or ""
    return code, selectors.instrument_for_recording(code)


def _saved_message(outcome_missing, complete, definition):
    if not outcome_missing:
        return "Result saved."
    questions = f"{outcome_missing} question{'s' if outcome_missing != 1 else ''} not answered"
    if complete:
        if definition.reports_items_separately:
            return f"Result saved. {questions}: each answered question is reported."
        return f"Result saved. {questions}: the score is prorated from the answers given."
    if definition.reports_items_separately:
        return f"Result saved as incomplete. {questions}: those scores are left blank."
    return f"Result saved as incomplete. {questions}, so there is no score."


@require_http_methods(["GET", "POST"])
def result_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    code, instrument = _chosen_instrument(request)
    if instrument is None:
        audit_view(request, person)
        if code:
            messages.error(request, "That measure is not available. Choose one from the list.")
        return render(
            request,
            "outcomes/choose_instrument.html",
            {"person": person, "instruments": list(selectors.offered_instruments())},
        )
    definition = instrument.current_version.parsed
    kwargs = {"definition": definition, "service_user": person, "instrument": instrument}
    if request.method == "POST":
        form = ResultForm(request.POST, **kwargs)
        # A form sent twice: the first copy's result, before the second copy
        # could be refused as a second baseline.
        earlier = created_before(
            Result,
            submission_token=form.submission_token,
            belongs=lambda result: result.service_user_id == person.pk,
        )
        if earlier is not None:
            messages.info(request, ALREADY_SAVED)
            return redirect(earlier.get_absolute_url())
        if form.is_valid():
            try:
                result, created = services.result_create(
                    service_user=person,
                    instrument=instrument,
                    by=request.user,
                    values=form.values(),
                    answers=form.answers(),
                    submission_token=form.submission_token,
                    request=request,
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                if created:
                    messages.success(
                        request,
                        _saved_message(
                            len(result.scores.get("missing", [])), result.complete, definition
                        ),
                    )
                else:
                    messages.info(request, ALREADY_SAVED)
                return redirect(result.get_absolute_url())
    else:
        form = ResultForm(**kwargs)
        audit_view(request, person)
    return render(
        request,
        "outcomes/result_form.html",
        {"person": person, "instrument": instrument, "definition": definition, "form": form},
    )


def _answers_shown(result):
    definition = result.scoring_version.parsed
    return [
        {
            "item": item,
            "heading": definition.item_heading(item),
            "value": result.answers.get(item.id),
            "label": item.label_for(result.answers.get(item.id)),
        }
        for item in definition.items
    ]


@require_http_methods(["GET"])
def result_detail(request, public_id, result_id):
    person = get_service_user_for(request.user, public_id)
    result = _result_for(person, result_id)
    audit_view(request, person, result)
    definition = result.scoring_version.parsed
    return render(
        request,
        "outcomes/result_detail.html",
        {
            "person": person,
            "result": result,
            "definition": definition,
            "score": Score.from_dict(result.scores),
            "cells": selectors.result_cells(result),
            "answers": _answers_shown(result),
            "can_delete": supervises(request.user, person),
            "newer_version": result.instrument.current_version_id != result.scoring_version_id,
        },
    )


@require_http_methods(["GET", "POST"])
def result_edit(request, public_id, result_id):
    person = get_service_user_for(request.user, public_id, write=True)
    result = _result_for(person, result_id)
    definition = result.scoring_version.parsed
    kwargs = {
        "definition": definition,
        "service_user": person,
        "instrument": result.instrument,
        "result": result,
    }
    context = {"person": person, "result": result, "definition": definition}
    if request.method == "POST":
        form = ResultForm(request.POST, record=result, **kwargs)

        def save():
            services.result_update(
                result=result,
                by=request.user,
                values=form.values(),
                answers=form.answers(),
                expected_version=form.version,
                request=request,
            )
            messages.success(request, "Result saved.")
            return redirect(result.get_absolute_url())

        def conflict(saved):
            audit_view(request, person, saved)
            return render_conflict(
                request,
                form=form,
                saved=saved,
                what="this result",
                cancel_url=result.get_absolute_url(),
                fields_template="outcomes/_result_fields.html",
                context={
                    **context,
                    "instrument": result.instrument,
                    "breadcrumbs_template": "outcomes/_breadcrumbs.html",
                    "current": "Conflict",
                    "stylesheets": ["outcomes/outcomes.css"],
                },
            )

        try:
            response = save_versioned(form=form, record=result, save=save, conflict=conflict)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            response = None
        if response is not None:
            return response
    else:
        form = ResultForm(record=result, initial=initial_for(result), **kwargs)
        audit_view(request, person, result)
    return render(
        request,
        "outcomes/result_form.html",
        {**context, "instrument": result.instrument, "form": form},
    )


@require_http_methods(["GET", "POST"])
def result_delete(request, public_id, result_id):
    person = get_service_user_for(request.user, public_id, write=True)
    require_supervisor_of(request.user, person)
    result = _result_for(person, result_id)
    if request.method == "POST":
        services.result_delete(result=result, by=request.user, request=request)
        messages.success(request, f"The {result.instrument.name} result was deleted.")
        return redirect("outcomes:list", public_id=person.public_id)
    audit_view(request, person, result)
    return render(request, "outcomes/result_delete.html", {"person": person, "result": result})


# Instruments (no person data) -------------------------------------------------------


def _require_instrument_reader(user):
    if not (has_role(user, "team") or (user.is_authenticated and user.is_staff)):
        raise PermissionDenied("Only workers, supervisors and administrators can see the measures.")


@require_http_methods(["GET"])
def instrument_list(request):
    _require_instrument_reader(request.user)
    return render(
        request,
        "outcomes/instrument_list.html",
        {"instruments": list(selectors.instruments_with_versions())},
    )


@require_http_methods(["GET"])
def instrument_detail(request, instrument_id):
    _require_instrument_reader(request.user)
    instrument = selectors.instrument_by_public_id(instrument_id)
    if instrument is None or instrument.current_version is None:
        raise Http404("No such measure")
    return render(
        request,
        "outcomes/instrument_detail.html",
        {
            "instrument": instrument,
            "definition": instrument.current_version.parsed,
            "version": instrument.current_version,
            "versions": list(selectors.instrument_versions(instrument)),
        },
    )


# Team figures (supervisors) ---------------------------------------------------------


def _team(user, team_public_id):
    team = accounts.supervised_team(user, team_public_id)
    if team is None:
        raise Http404("No such team")
    return team


@role_required("supervisor")
def team_people(request):
    """The people behind one of the dashboard's outcome figures."""
    team = _team(request.user, request.GET.get("team"))
    people = selectors.team_people(request.user, team)
    which = request.GET.get("figure", "")
    chosen, figures = selectors.team_figure_people(
        people,
        instrument_code=request.GET.get("instrument", ""),
        key=request.GET.get("score", ""),
        which=which,
    )
    if chosen is None:
        raise Http404("No such figure")
    return render(
        request,
        "outcomes/team_people.html",
        {
            "team": team,
            "figures": figures,
            "description": selectors.DRILL_FIGURES[which],
            "page_obj": paginate(request, chosen.order_by("preferred_name", "id"), 25),
        },
    )


@role_required("supervisor")
@report_reads
def team_export(request):
    """The dashboard's outcome figures as CSV: counts only, small numbers hidden."""
    team = _team(request.user, request.GET.get("team"))
    rows = selectors.team_outcomes(selectors.team_people(request.user, team))
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-outcomes-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["team", safe_cell(team.name)])
    writer.writerow(["date", stamp])
    writer.writerow(
        [
            "figures from fewer than "
            f"{selectors.MIN_PEOPLE} people are shown as 'fewer than {selectors.MIN_PEOPLE}'"
        ]
    )
    writer.writerow([])
    writer.writerow(
        [
            "measure",
            "score",
            "better when",
            "people with a baseline and a later result",
            "median change",
            "share with reliable improvement",
            "share with reliable deterioration",
        ]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(cell) if isinstance(cell, str) else cell
                for cell in selectors.export_cells(row)
            ]
        )
    return response
