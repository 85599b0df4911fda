"""Community register pages. Every view fetches the team (or agency) through
``community.access`` and each link through its team: 404 otherwise."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Team
from core.paging import paginate
from core.views import render_conflict, save_versioned
from toolkit.search import clean_query
from toolkit.selectors import directory_services, find_organisations

from . import access, selectors, services
from .forms import LinkCreateForm, LinkEditForm
from .models import AgencyListing, LinkKind

PAGE_SIZE = 50
SEARCH_RESULTS = 10


def _filters(request):
    """The register's filters from the query string; unknown values are ignored."""
    kind = request.GET.get("kind", "")
    contact = request.GET.get("contact", "")
    sort = request.GET.get("sort", "")
    return {
        "kind": kind if kind in LinkKind.values else "",
        "contact": contact if contact in selectors.CONTACT_FILTERS else "",
        "text": clean_query(request.GET.get("q", "")),
        "sort": sort if sort in selectors.SORTS else "name",
    }


def _filter_context(filters):
    return {
        "filters": filters,
        "filtered": bool(filters["kind"] or filters["contact"] or filters["text"]),
        "kinds": LinkKind.choices,
        "contact_filters": selectors.CONTACT_FILTERS.items(),
        "sorts": [(code, label) for code, (label, _order) in selectors.SORTS.items()],
    }


@require_http_methods(["GET"])
def index(request):
    """The agencies the user works in, with each team's register at a glance."""
    agencies = list(access.readable_agencies(request.user).order_by("name"))
    teams = list(selectors.team_summaries(access.readable_teams(request.user)))
    for agency in agencies:
        agency.team_rows = [team for team in teams if team.agency_id == agency.pk]
    return render(
        request,
        "community/index.html",
        {"agencies": agencies, "own_team_ids": request.user.member_team_ids},
    )


@require_http_methods(["GET"])
def agency_detail(request, agency_id):
    agency = access.get_agency_for(request.user, agency_id)
    teams = Team.objects.filter(agency=agency)
    listing = AgencyListing.objects.select_related("organisation").filter(agency=agency).first()
    return render(
        request,
        "community/agency_detail.html",
        {
            "agency": agency,
            "listing": listing,
            "team_rows": selectors.team_summaries(teams),
            "figures": selectors.link_figures(teams),
            "own_team_ids": request.user.member_team_ids,
        },
    )


@require_http_methods(["GET"])
def team_register(request, team_id):
    team = access.get_team_for(request.user, team_id)
    filters = _filters(request)
    links = selectors.team_links(team, **filters)
    return render(
        request,
        "community/team_register.html",
        {
            "team": team,
            "page_obj": paginate(request, links, PAGE_SIZE),
            "figures": selectors.link_figures([team]),
            "can_edit": access.can_edit_register(request.user, team),
            **_filter_context(filters),
        },
    )


@require_http_methods(["GET"])
def team_print(request, team_id):
    """Every link that matches the filters on one page, laid out for paper."""
    team = access.get_team_for(request.user, team_id)
    filters = _filters(request)
    return render(
        request,
        "community/team_print.html",
        {
            "team": team,
            "links": selectors.team_links(team, **filters),
            "figures": selectors.link_figures([team]),
            "today": timezone.localdate(),
            **_filter_context(filters),
        },
    )


@require_http_methods(["GET", "POST"])
def link_add(request, team_id):
    """Step 1 (GET, no choice yet): find the organisation in the directory.
    Step 2: the link's details, for the chosen entry or one typed in by name."""
    team = access.get_team_for(request.user, team_id, write=True)
    if request.method == "POST":
        form = LinkCreateForm(request.POST)
        if form.is_valid():
            link, created = services.link_create(
                team=team,
                by=request.user,
                values=form.model_values(),
                organisation=form.directory_organisation,
                service=form.directory_service,
                submission_token=form.submission_token,
            )
            if created:
                messages.success(request, f"Added {link.display_name} to the register.")
            else:
                messages.info(request, "This link was already saved; it was not added twice.")
            return redirect(link.get_absolute_url())
        return render(request, "community/link_form.html", {"team": team, "form": form})
    picked = {
        name: request.GET[name] for name in ("organisation", "service") if request.GET.get(name)
    }
    if picked or request.GET.get("manual") == "1":
        form = LinkCreateForm(picked=picked)
        if form.pick_missing:
            messages.warning(
                request,
                "That directory entry is no longer listed. Enter the organisation by name, "
                "or search the directory again.",
            )
        return render(request, "community/link_form.html", {"team": team, "form": form})
    text = clean_query(request.GET.get("q", ""))
    return render(
        request,
        "community/link_find.html",
        {
            "team": team,
            "q": text,
            "organisations": list(find_organisations(text, limit=SEARCH_RESULTS)),
            "services": list(directory_services(text=text)[:SEARCH_RESULTS]) if text else [],
        },
    )


@require_http_methods(["GET"])
def link_detail(request, team_id, link_id):
    team = access.get_team_for(request.user, team_id)
    link = access.get_link_for(team, link_id)
    link.flagged, link.overdue = selectors.link_flags(link)
    return render(
        request,
        "community/link_detail.html",
        {"team": team, "link": link, "can_edit": access.can_edit_register(request.user, team)},
    )


@require_http_methods(["GET", "POST"])
def link_edit(request, team_id, link_id):
    team = access.get_team_for(request.user, team_id, write=True)
    link = access.get_link_for(team, link_id)
    if request.method == "POST":
        form = LinkEditForm(request.POST, instance=link)

        def save():
            services.link_update(
                link=link,
                by=request.user,
                values=form.model_values(),
                expected_version=form.version,
            )
            messages.success(request, "Link saved.")
            return redirect(link.get_absolute_url())

        def conflict(saved):
            return render_conflict(
                request,
                form=form,
                saved=saved,
                what=f"the link to {saved.display_name}",
                cancel_url=saved.get_absolute_url(),
                fields_template="community/_link_fields.html",
                context={
                    "breadcrumbs_template": "community/_breadcrumbs.html",
                    "current": "Change",
                    "team": team,
                    "link": saved,
                    "agency": team.agency,
                },
            )

        response = save_versioned(form=form, record=link, save=save, conflict=conflict)
        if response is not None:
            return response
    else:
        form = LinkEditForm(instance=link)
    return render(request, "community/link_form.html", {"team": team, "link": link, "form": form})


@require_POST
def link_contact(request, team_id, link_id):
    """Record that the team was in touch with the organisation today."""
    team = access.get_team_for(request.user, team_id, write=True)
    link = access.get_link_for(team, link_id)
    services.link_record_contact(link=link, by=request.user)
    messages.success(
        request,
        f"Recorded contact with {link.display_name} today. "
        "Add the next planned contact when you know it.",
    )
    if request.POST.get("back") == "register":
        return redirect("community:team", team_id=team.public_id)
    return redirect(link.get_absolute_url())


@require_http_methods(["GET", "POST"])
def link_delete(request, team_id, link_id):
    team = access.get_team_for(request.user, team_id, write=True)
    link = access.get_link_for(team, link_id)
    if request.method == "POST":
        services.link_delete(link=link)
        messages.success(request, f"Removed {link.display_name} from the register.")
        return redirect("community:team", team_id=team.public_id)
    return render(request, "community/link_delete.html", {"team": team, "link": link})
