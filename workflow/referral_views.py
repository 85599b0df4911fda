"""Pages for suggesting directory listings to people and following what happened."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from caseload.access import get_service_user_for, get_session_for, visible_service_users
from caseload.audit import audit_view
from caseload.stages import Stage
from core.paging import paginate
from core.views import render_conflict, save_versioned
from goals.selectors import active_goals_for
from toolkit.search import clean_query
from toolkit.selectors import offerable_services

from . import referrals
from .forms import ChoosePersonForm, ReferralStatusForm, SuggestForm

PEOPLE_SHOWN = 50


def _offerable(public_id):
    service = offerable_services().filter(public_id=public_id).first()
    if service is None:
        raise Http404("This listing is not offered (withdrawn, closed or not found).")
    return service


def _people(user, text=""):
    people = (
        visible_service_users(user).exclude(stage=Stage.CLOSED).order_by("preferred_name", "id")
    )
    text = clean_query(text)
    if text:
        people = people.filter(Q(preferred_name__icontains=text) | Q(reference__icontains=text))
    return people


def can_suggest(user):
    return bool(
        getattr(user, "worker_team_ids", None) or getattr(user, "supervised_team_ids", None)
    )


@require_http_methods(["GET", "POST"])
def service_suggest(request, public_id):
    """Step 1 from a service page: choose someone from your own caseload."""
    service = _offerable(public_id)
    text = request.GET.get("q", "").strip()
    people = _people(request.user, text)
    form = ChoosePersonForm(request.POST or None, people=_people(request.user))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        return redirect(
            "workflow:suggest_to_person", public_id=person.public_id, service_id=service.public_id
        )
    if request.method == "POST" and request.POST.get("person"):
        # Not someone the user may see (or not open): the same as an unknown record.
        get_service_user_for(request.user, request.POST["person"])
    shown_people = list(people[: PEOPLE_SHOWN + 1])
    form.fields["person"].queryset = people.filter(
        pk__in=[p.pk for p in shown_people[:PEOPLE_SHOWN]]
    )
    return render(
        request,
        "workflow/service_suggest.html",
        {
            "service": service,
            "form": form,
            "q": text,
            "has_people": bool(shown_people) or bool(text),
            "more": len(shown_people) > PEOPLE_SHOWN,
        },
    )


@require_http_methods(["GET", "POST"])
def suggest_to_person(request, public_id, service_id):
    """Step 2: link the listing to one of the person's goals, or add it to their map."""
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    service = _offerable(service_id)
    goals = list(active_goals_for(person))
    form = SuggestForm(request.POST or None, goals=goals, service=service)
    if request.method == "POST" and form.is_valid():
        goal, add_to_map = form.chosen()
        try:
            referral, created = referrals.referral_suggest(
                service_user=person,
                service=service,
                goal=goal,
                add_to_map=add_to_map,
                by=request.user,
                submission_token=form.submission_token,
                request=request,
            )
        except ValidationError as error:
            form.add_error("link", error)
        else:
            if not created:
                messages.info(request, "This suggestion was already recorded; it was added once.")
            elif goal is not None:
                messages.success(
                    request,
                    f"“{service.name}” suggested to {person.preferred_name} and linked "
                    f"to the goal “{goal.title}”.",
                )
            elif add_to_map:
                messages.success(
                    request,
                    f"“{service.name}” suggested to {person.preferred_name} and added to their "
                    "network map.",
                )
            else:
                messages.success(request, f"“{service.name}” suggested to {person.preferred_name}.")
            return redirect("workflow:referrals", public_id=person.public_id)
    if request.method == "GET":
        audit_view(request, person)
    return render(
        request,
        "workflow/suggest_to_person.html",
        {"person": person, "service": service, "form": form},
    )


def referral_list(request, public_id):
    person = get_service_user_for(request.user, public_id)
    audit_view(request, person)
    return render(
        request,
        "workflow/referrals.html",
        {"person": person, "page_obj": paginate(request, referrals.referrals_for(person), 25)},
    )


def _save_status(request, *, person, referral, form, session=None, done_url):
    def save():
        referrals.referral_change_status(
            referral=referral,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            stop_reason=form.cleaned_data.get("stop_reason", ""),
            session=session,
            by=request.user,
            expected_version=form.version,
            request=request,
        )
        messages.success(
            request, f"“{referral.service.name}”: now “{referral.get_status_display()}”."
        )
        return redirect(done_url)

    def conflict(saved):
        audit_view(request, person, saved)
        return render_conflict(
            request,
            form=form,
            saved=saved,
            what=f"this suggestion of “{referral.service.name}”",
            cancel_url=done_url,
            submit_label="Save what happened",
            context={
                "breadcrumbs_template": "workflow/_person_breadcrumbs.html",
                "person": person,
                "here": "Conflict",
            },
        )

    return save_versioned(form=form, record=referral, save=save, conflict=conflict)


@require_http_methods(["GET", "POST"])
def referral_update(request, public_id, referral_id):
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    referral = referrals.get_referral(person, referral_id)
    form = ReferralStatusForm(request.POST or None, referral=referral)
    done_url = reverse("workflow:referrals", kwargs={"public_id": person.public_id})
    if request.method == "POST":
        response = _save_status(
            request, person=person, referral=referral, form=form, done_url=done_url
        )
        if response is not None:
            return response
    else:
        audit_view(request, person, referral)
    return render(
        request,
        "workflow/referral_form.html",
        {"person": person, "referral": referral, "form": form},
    )


@require_http_methods(["GET", "POST"])
def session_referrals(request, public_id, session_id):
    """The person's open suggestions, each updatable as part of this session."""
    person = get_service_user_for(request.user, public_id, write=request.method == "POST")
    session = get_session_for(request.user, person, session_id)
    open_referrals = [r for r in referrals.referrals_for(person) if r.is_open]
    forms = {
        r.public_id: ReferralStatusForm(prefix=str(r.public_id), referral=r) for r in open_referrals
    }
    here = reverse(
        "workflow:session_referrals",
        kwargs={"public_id": person.public_id, "session_id": session.public_id},
    )
    if request.method == "POST":
        chosen = next(
            (r for r in open_referrals if str(r.public_id) == request.POST.get("referral")), None
        )
        if chosen is None:
            messages.error(request, "Choose a suggestion to update.")
            return redirect(here)
        form = ReferralStatusForm(request.POST, prefix=str(chosen.public_id), referral=chosen)
        forms[chosen.public_id] = form
        response = _save_status(
            request, person=person, referral=chosen, form=form, session=session, done_url=here
        )
        if response is not None:
            return response
    else:
        audit_view(request, person, session)
    return render(
        request,
        "workflow/session_referrals.html",
        {
            "person": person,
            "session": session,
            "rows": [(r, forms[r.public_id]) for r in open_referrals],
            "form": next((f for f in forms.values() if f.is_bound), None),
        },
    )


@role_required("curator")
def needs_checking(request):
    sort = "checked" if request.GET.get("sort") == "checked" else "used"
    listings = referrals.needs_checking(sort=sort)
    page_obj = paginate(request, listings, 25)
    for listing in page_obj:
        listing.flagged = referrals.is_flagged(listing.tried_count, listing.stayed_count)
    return render(request, "workflow/needs_checking.html", {"page_obj": page_obj, "sort": sort})


def service_panel(request, service):
    """The panel on a directory service's page (registered with toolkit.panels):
    "Suggest to someone I support", and what happened after suggestions."""
    user = request.user
    if not user.is_authenticated:
        return ""
    suggest = can_suggest(user) and service.can_be_suggested
    show_outcomes = can_suggest(user) or getattr(user, "is_curator", False)
    if not (suggest or show_outcomes):
        return ""
    return render_to_string(
        "workflow/_service_panel.html",
        {
            "service": service,
            "suggest": suggest,
            "outcomes": referrals.service_outcomes(service) if show_outcomes else None,
            "stayed_days": referrals.STAYED_DAYS,
        },
        request=request,
    )
