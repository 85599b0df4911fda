"""Pages for practice fidelity beyond the journey, board and dashboard: a
person's self-assessments, the supervisor's comparison of the reports with the
records, and the agency report."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from caseload.access import get_service_user_for
from caseload.audit import audit_view
from core.csv import safe_cell
from core.paging import paginate
from core.replica import report_reads

from . import agency_report as reports
from . import dashboard as figures
from . import self_assessments as assessments
from .fidelity import high_threshold
from .forms import SelfAssessmentForm


def person_self_assessments(request, public_id):
    """The person's self-assessments, the latest worker and person answers side
    by side, and how both compare with the records."""
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    return render(
        request,
        "workflow/self_assessments.html",
        {
            "person": person,
            "comparisons": assessments.person_comparisons(person),
            "history": assessments.assessments_for(person)[:50],
            "questionnaires": list(assessments.offered_questionnaires()),
        },
    )


@require_http_methods(["GET", "POST"])
def self_assessment_create(request, public_id):
    person = get_service_user_for(request.user, public_id, write=True)
    offered = list(assessments.offered_questionnaires())
    code = request.POST.get("questionnaire") or request.GET.get("questionnaire", "")
    questionnaire = next((q for q in offered if q.code == code), None)
    if questionnaire is None and len(offered) == 1:
        questionnaire = offered[0]
    if questionnaire is None:
        audit_view(request, person)
        return render(
            request,
            "workflow/self_assessment_choose.html",
            {"person": person, "questionnaires": offered},
        )
    respondent = request.GET.get("respondent")
    form = SelfAssessmentForm(
        request.POST or None, questionnaire=questionnaire, respondent=respondent
    )
    if request.method == "POST" and form.is_valid():
        try:
            _assessment, created = assessments.self_assessment_record(
                service_user=person,
                questionnaire=questionnaire,
                respondent=form.cleaned_data["respondent"],
                completed_on=form.cleaned_data["completed_on"],
                answers=form.answers(),
                by=request.user,
                submission_token=form.submission_token,
                request=request,
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                target = f"item_{name}" if f"item_{name}" in form.fields else None
                for problem in problems:
                    form.add_error(target, problem)
        else:
            if created:
                messages.success(request, "Self-assessment saved.")
            else:
                messages.info(request, "This self-assessment was already saved.")
            return redirect("workflow:fidelity_person", public_id=person.public_id)
    if request.method == "GET":
        audit_view(request, person)
    return render(
        request,
        "workflow/self_assessment_form.html",
        {"person": person, "form": form, "questionnaire": questionnaire},
    )


@role_required("supervisor")
def team_self_assessments(request):
    """For a supervised team: per person, where the worker's and the person's
    reports agree and disagree, and both beside the practice fidelity from the
    records; per worker, the totals."""
    team = figures.team_for(request.user, request.GET.get("team"))
    people = figures.team_people(request.user, team)
    comparisons = assessments.team_comparisons(people)
    by_worker = {}
    for comparison in comparisons:
        worker = comparison.person.allocated_worker
        row = by_worker.setdefault(
            worker.pk if worker else None,
            {
                "worker": worker,
                "people": set(),
                "agreed": 0,
                "disagreed": 0,
                "both": 0,
                "worker_match": 0,
                "worker_checked": 0,
                "person_match": 0,
                "person_checked": 0,
            },
        )
        row["people"].add(comparison.person.pk)
        row["agreed"] += comparison.agreed
        row["disagreed"] += comparison.disagreed
        row["both"] += 1 if comparison.worker_report and comparison.person_report else 0
        for who in ("worker", "person"):
            matched, checked = getattr(comparison, f"{who}_vs_records")
            row[f"{who}_match"] += matched
            row[f"{who}_checked"] += checked
    workers = sorted(by_worker.values(), key=lambda row: str(row["worker"] or ""))
    for row in workers:
        row["people"] = len(row["people"])
    return render(
        request,
        "workflow/team_self_assessments.html",
        {
            "team": team,
            "teams": figures.supervised_teams(request.user),
            "workers": workers,
            "page_obj": paginate(request, comparisons, 25),
            "threshold_percent": round(high_threshold() * 100),
        },
    )


@role_required("supervisor", "admin")
@report_reads
def agency_report(request):
    agencies = reports.report_agencies(request.user)
    return render(
        request,
        "workflow/agency_report.html",
        {
            "report": reports.agency_report(agencies),
            "threshold_percent": round(high_threshold() * 100),
            "is_admin": request.user.is_staff,
        },
    )


@role_required("supervisor", "admin")
@report_reads
def agency_detail(request, agency_id):
    agency = reports.report_agency(request.user, agency_id)
    return render(
        request,
        "workflow/agency_detail.html",
        {
            "agency": agency,
            "report": reports.agency_report([agency]),
            "threshold_percent": round(high_threshold() * 100),
        },
    )


@role_required("supervisor", "admin")
@report_reads
def agency_export(request):
    report = reports.agency_report(reports.report_agencies(request.user))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="agency-report-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["date", stamp])
    writer.writerow(["high fidelity from", f"{round(high_threshold() * 100)}%"])
    writer.writerow([])
    for row in reports.export_rows(report):
        writer.writerow([safe_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return response
