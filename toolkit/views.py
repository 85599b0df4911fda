"""Library, curation and directory pages. Views are thin: forms validate, services act."""

import uuid

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import role_required
from core.paging import paginate
from core.views import render_conflict, save_versioned

from . import selectors, services
from .feeds import feed_sync
from .forms import (
    FeedForm,
    ImportForm,
    LocationForm,
    ResourceForm,
    ResourceStatusForm,
    ServiceForm,
    service_formsets,
)
from .models import (
    DAY_CHOICES,
    STAGE_CHOICES,
    FeedSubscription,
    PracticeArea,
    Resource,
    Service,
    TaxonomyTerm,
)
from .oruk_import import ImportRejected, import_files
from .panels import service_panels
from .rendering import render_markdown
from .search import clean_query

PAGE_SIZE = 20


def _conflict(request, *, form, saved, what, cancel_url, crumbs, **options):
    """The 409 page of a stale curation form (someone else saved it meanwhile)."""
    context = options.pop("context", {})
    return render_conflict(
        request,
        form=form,
        saved=saved,
        what=what,
        cancel_url=cancel_url,
        context={
            "breadcrumbs_template": "toolkit/_breadcrumbs.html",
            "crumbs": [*crumbs, ("Conflict", None)],
            "stylesheets": ["toolkit/toolkit.css"],
            **context,
        },
        **options,
    )


def _resource_crumbs(resource):
    return [
        ("Curation", reverse("toolkit:curation")),
        (resource.title, reverse("toolkit:resource", kwargs={"public_id": resource.public_id})),
    ]


# Library --------------------------------------------------------------------


def library(request):
    text = request.GET.get("q", "").strip()
    stage = request.GET.get("stage", "")
    kind = request.GET.get("kind", "")
    tag = clean_query(request.GET.get("tag", ""))[:60]
    areas = list(selectors.practice_areas())
    area = None
    # isdecimal, not isdigit: "²" is a digit that int() refuses (a 500 before).
    if request.GET.get("area", "").isdecimal():
        area = next((a for a in areas if a.number == int(request.GET["area"])), None)
    resources = selectors.library_resources(
        request.user, text=text, stage=stage, area=area, kind=kind, tag=tag
    )
    filtered = bool(text or area or tag or stage in dict(STAGE_CHOICES) or kind)
    return render(
        request,
        "toolkit/library.html",
        {
            "page_obj": paginate(request, resources, PAGE_SIZE),
            "q": text,
            "stage": stage,
            "area": area,
            "kind": kind,
            "tag": tag,
            "filtered": filtered,
            "stages": STAGE_CHOICES,
            "areas": areas,
            "kinds": Resource.Kind.choices,
        },
    )


def resource_detail(request, public_id):
    resource = selectors.resource_detail(request.user, public_id)
    if resource is None:
        raise Http404("No resource here.")
    times_used = resource.sessions.count() if request.user.is_curator else None
    return render(
        request,
        "toolkit/resource_detail.html",
        {
            "resource": resource,
            "body_html": render_markdown(resource.body),
            "times_used": times_used,
            "status_form": ResourceStatusForm(record=resource) if request.user.is_curator else None,
        },
    )


def resource_download(request, public_id):
    resource = selectors.visible_resources(request.user).filter(public_id=public_id).first()
    if resource is None or not resource.file:
        raise Http404("No file here.")
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.file_name or "download",
        content_type=resource.file_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Curation -------------------------------------------------------------------


@role_required("curator")
def curation(request):
    text = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    due_only = request.GET.get("due") == "1"
    resources = selectors.curation_resources(text=text, status=status, due_only=due_only)
    sort = request.GET.get("sort", "")
    if sort == "used":
        resources = resources.order_by("-times_used", "title")
    elif sort == "review":
        resources = resources.order_by("review_by", "title")
    today = timezone.localdate()
    counts = {
        "draft": Resource.objects.filter(status=Resource.Status.DRAFT).count(),
        "published": Resource.objects.filter(status=Resource.Status.PUBLISHED).count(),
        "due": Resource.objects.filter(review_by__lte=today)
        .exclude(status=Resource.Status.ARCHIVED)
        .count(),
        "services": Service.objects.count(),
        "unverified": selectors.directory_services(unverified=True, include_closed=True).count(),
    }
    return render(
        request,
        "toolkit/curation.html",
        {
            "page_obj": paginate(request, resources, 25),
            "q": text,
            "status": status,
            "due_only": due_only,
            "sort": sort,
            "statuses": Resource.Status.choices,
            "counts": counts,
            "today": today,
        },
    )


def _resource_form_page(request, form, *, resource=None, preview_html=None):
    return render(
        request,
        "toolkit/resource_form.html",
        {"form": form, "resource": resource, "preview_html": preview_html},
    )


def _preview(form):
    """Render what was typed, without saving, so the curator keeps their answers."""
    form.is_valid()
    body = form.data.get("body", "")
    return render_markdown(body)


@role_required("curator")
@require_http_methods(["GET", "POST"])
def resource_create(request):
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if request.POST.get("action") == "preview":
            preview = _preview(ResourceForm(request.POST))
            return _resource_form_page(request, ResourceForm(request.POST), preview_html=preview)
        if form.is_valid():
            resource, created = services.resource_create(
                data=form.cleaned_data, by=request.user, submission_token=form.submission_token
            )
            if created:
                messages.success(
                    request, f"Draft “{resource.title}” saved. Only curators can see it."
                )
            else:
                messages.info(request, "This draft was already saved; it was not added twice.")
            return redirect("toolkit:resource", public_id=resource.public_id)
        return _resource_form_page(request, form)
    return _resource_form_page(request, ResourceForm())


@role_required("curator")
@require_http_methods(["GET", "POST"])
def resource_edit(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=resource)
        if request.POST.get("action") == "preview":
            preview = _preview(ResourceForm(request.POST, instance=resource))
            form = ResourceForm(request.POST, instance=resource)
            return _resource_form_page(request, form, resource=resource, preview_html=preview)

        def save():
            services.resource_update(
                resource=resource,
                data=form.cleaned_data,
                by=request.user,
                expected_version=form.version,
            )
            messages.success(request, "Your changes have been saved.")
            return redirect("toolkit:resource", public_id=resource.public_id)

        def conflict(saved):
            return _conflict(
                request,
                form=form,
                saved=saved,
                what="this resource",
                cancel_url=reverse("toolkit:resource", kwargs={"public_id": saved.public_id}),
                crumbs=_resource_crumbs(saved),
                fields_template="toolkit/_resource_fields.html",
                context={"resource": saved},
            )

        response = save_versioned(form=form, record=resource, save=save, conflict=conflict)
        if response is not None:
            return response
        resource.refresh_from_db()
        return _resource_form_page(request, form, resource=resource)
    return _resource_form_page(request, ResourceForm(instance=resource), resource=resource)


@role_required("curator")
@require_POST
def resource_status(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    form = ResourceStatusForm(request.POST, record=resource)

    def save():
        changed = services.resource_change_status(
            resource=resource,
            action=form.cleaned_data["action"],
            by=request.user,
            expected_version=form.version,
        )
        label = services.STATUS_ACTIONS[form.cleaned_data["action"]][1]
        messages.success(request, f"“{changed.title}” {label}.")
        return redirect("toolkit:resource", public_id=public_id)

    def conflict(saved):
        return _conflict(
            request,
            form=form,
            saved=saved,
            what="this resource",
            cancel_url=reverse("toolkit:resource", kwargs={"public_id": public_id}),
            crumbs=_resource_crumbs(saved),
            submit_label="Change the status",
        )

    response = save_versioned(form=form, record=resource, save=save, conflict=conflict)
    if response is None:
        messages.error(request, "Choose publish, archive or return to draft.")
        return redirect("toolkit:resource", public_id=public_id)
    return response


@role_required("curator")
def resource_history(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    versions = resource.versions.select_related("created_by").order_by("-number")
    page_obj = paginate(request, versions, 50)
    for version in page_obj:
        version.changed_labels = [services.FIELD_LABELS.get(f, f) for f in version.changed_fields]
    return render(
        request, "toolkit/resource_history.html", {"resource": resource, "page_obj": page_obj}
    )


@role_required("curator")
@require_http_methods(["GET", "POST"])
def resource_version(request, public_id, number):
    resource = get_object_or_404(Resource, public_id=public_id)
    version = get_object_or_404(resource.versions.select_related("created_by"), number=number)
    if request.method == "POST":
        services.resource_restore(resource=resource, version=version, by=request.user)
        messages.success(request, f"Version {version.number} restored as the current text.")
        return redirect("toolkit:resource", public_id=public_id)
    data = version.data
    areas = PracticeArea.objects.filter(number__in=data.get("practice_areas", []))
    return render(
        request,
        "toolkit/resource_version.html",
        {
            "resource": resource,
            "version": version,
            "data": data,
            "body_html": render_markdown(data.get("body", "")),
            "stage_labels": [dict(STAGE_CHOICES).get(s, s) for s in data.get("stages", [])],
            "areas": areas,
            "is_latest": not resource.versions.filter(number__gt=number).exists(),
        },
    )


@role_required("curator")
@require_http_methods(["GET", "POST"])
def import_feed(request):
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["feed"]
            try:
                result = import_files([(upload.name, upload.read())])
            except ImportRejected as exc:
                form.add_error("feed", f"Nothing was imported. {exc}")
            else:
                messages.success(
                    request,
                    f"Imported {upload.name}: services {result.summary}; "
                    f"{result.organizations} organisations and "
                    f"{result.taxonomy_terms} categories read.",
                )
                return redirect("toolkit:import")
    else:
        form = ImportForm()
    return render(request, "toolkit/import.html", {"form": form})


# Feed subscriptions ---------------------------------------------------------


@role_required("curator")
@require_http_methods(["GET", "POST"])
def feeds(request):
    """Registered ORUK feeds, and the form to register another."""
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feed = services.feed_create(data=form.cleaned_data, by=request.user)
        messages.success(
            request, f"“{feed.name}” registered. Sync it now, or wait for the next scheduled sync."
        )
        return redirect(feed)
    subscriptions = FeedSubscription.objects.annotate(
        service_count=Count("services", filter=Q(services__withdrawn_at__isnull=True))
    ).order_by("name")
    return render(request, "toolkit/feeds.html", {"form": form, "feeds": subscriptions})


@role_required("curator")
@require_http_methods(["GET", "POST"])
def feed_detail(request, public_id):
    feed = get_object_or_404(FeedSubscription, public_id=public_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "sync":
            report = feed_sync(feed=feed)
            if report.outcome == report.Outcome.FAILED:
                messages.error(request, "The sync failed and nothing was changed; see below.")
            else:
                messages.success(request, f"Synced: {report.summary}.")
        elif action in ("pause", "resume"):
            FeedSubscription.objects.filter(pk=feed.pk).update(active=action == "resume")
            messages.success(
                request,
                "Automatic syncing started again." if action == "resume" else "Syncing stopped.",
            )
        else:
            messages.error(request, "Choose sync now, stop syncing or start syncing.")
        return redirect(feed)
    counts = feed.services.aggregate(
        current=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )
    return render(
        request,
        "toolkit/feed_detail.html",
        {"feed": feed, "reports": feed.reports.all()[:10], "counts": counts},
    )


# Directory ------------------------------------------------------------------


def directory(request):
    text = request.GET.get("q", "").strip()
    day = request.GET.get("day", "")
    free_only = request.GET.get("free") == "1"
    unverified = request.user.is_curator and request.GET.get("unverified") == "1"
    categories = list(selectors.directory_categories())
    category = None
    try:
        wanted = uuid.UUID(request.GET.get("category", ""))
    except ValueError:
        wanted = None
    if wanted:
        category = next((c for c in categories if c.public_id == wanted), None)
        if category is None:
            category = TaxonomyTerm.objects.filter(public_id=wanted).first()
    services_qs = selectors.directory_services(
        text=text,
        category=category,
        day=day,
        free_only=free_only,
        include_closed=request.user.is_curator,
        unverified=unverified,
    )
    return render(
        request,
        "toolkit/directory.html",
        {
            "page_obj": paginate(request, services_qs, PAGE_SIZE),
            "q": text,
            "day": day,
            "free_only": free_only,
            "unverified": unverified,
            "category": category,
            "categories": categories,
            "days": DAY_CHOICES,
            "filtered": bool(text or day or free_only or category or unverified),
        },
    )


def service_detail(request, public_id):
    service = selectors.service_detail(public_id)
    if service is None:
        raise Http404("No opportunity here.")
    return render(
        request,
        "toolkit/service_detail.html",
        {"service": service, "panels": service_panels(request, service)},
    )


def _service_form_page(request, service, form, location_form, formsets):
    has_errors = bool(form.errors or location_form.errors) or any(
        not fs.is_valid() for fs in formsets.values() if fs.is_bound
    )
    return render(
        request,
        "toolkit/service_form.html",
        {
            "form": form,
            "location_form": location_form,
            "formsets": formsets,
            "service": service if service.pk else None,
            "has_errors": has_errors,
        },
    )


@role_required("curator")
@require_http_methods(["GET", "POST"])
def service_edit(request, public_id=None):
    service = Service() if public_id is None else get_object_or_404(Service, public_id=public_id)
    if request.method != "POST":
        form = ServiceForm(instance=service)
        location_form = LocationForm(prefix="location")
        formsets = service_formsets(instance=service if service.pk else None)
        return _service_form_page(request, service, form, location_form, formsets)
    form = ServiceForm(request.POST, instance=service)
    location_form = LocationForm(request.POST, prefix="location")
    formsets = service_formsets(request.POST, instance=service)
    forms = {"form": form, "location_form": location_form, "formsets": formsets}

    def all_valid():
        valid = form.is_valid() & location_form.is_valid()
        formsets_valid = [fs.is_valid() for fs in formsets.values()]  # validate every one
        return valid and all(formsets_valid)

    if service.pk is None:
        if all_valid():
            saved, created = services.service_create(
                **forms, by=request.user, submission_token=form.submission_token
            )
            if created:
                messages.success(request, f"“{saved.name}” saved.")
            else:
                messages.info(request, f"“{saved.name}” was already saved; it was added once.")
            return redirect("toolkit:service", public_id=saved.public_id)
        return _service_form_page(request, service, form, location_form, formsets)

    def save():
        saved = services.service_update(
            service=service, **forms, by=request.user, expected_version=form.version
        )
        messages.success(request, f"“{saved.name}” saved.")
        return redirect("toolkit:service", public_id=saved.public_id)

    def conflict(saved):
        return _conflict(
            request,
            form=form,
            saved=saved,
            what="this opportunity",
            cancel_url=reverse("toolkit:service", kwargs={"public_id": saved.public_id}),
            crumbs=[
                ("Community directory", reverse("toolkit:directory")),
                (saved.name, reverse("toolkit:service", kwargs={"public_id": saved.public_id})),
            ],
            fields_template="toolkit/_service_fields.html",
            submit_label="Save",
            context={"location_form": location_form, "formsets": formsets},
        )

    response = save_versioned(
        form=form, record=service, save=save, conflict=conflict, is_valid=all_valid
    )
    if response is not None:
        return response
    service.refresh_from_db()
    return _service_form_page(request, service, form, location_form, formsets)
