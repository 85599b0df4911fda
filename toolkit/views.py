"""Library, curation and directory pages. Views are thin: forms validate, services act."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import ImportForm, LocationForm, ResourceForm, ServiceForm, service_formsets
from .models import DAY_CHOICES, STAGE_CHOICES, PracticeArea, Resource, Service, TaxonomyTerm
from .oruk_import import ImportRejected, import_files
from .permissions import curator_required
from .rendering import render_markdown
from .search import clean_query

PAGE_SIZE = 20


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _token(request):
    try:
        return uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return None


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
            "page_obj": _page(request, resources),
            "query": _query_without_page(request),
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


@curator_required
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
            "page_obj": _page(request, resources, 25),
            "query": _query_without_page(request),
            "q": text,
            "status": status,
            "due_only": due_only,
            "sort": sort,
            "statuses": Resource.Status.choices,
            "counts": counts,
            "today": today,
        },
    )


def _resource_form_page(request, form, *, resource=None, preview_html=None, token=None):
    return render(
        request,
        "toolkit/resource_form.html",
        {
            "form": form,
            "resource": resource,
            "preview_html": preview_html,
            "submission_token": token,
        },
    )


def _preview(form):
    """Render what was typed, without saving, so the curator keeps their answers."""
    form.is_valid()
    body = form.data.get("body", "")
    return render_markdown(body)


@curator_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        token = _token(request) or uuid.uuid4()
        if request.POST.get("action") == "preview":
            preview = _preview(ResourceForm(request.POST))
            form = ResourceForm(request.POST)
            return _resource_form_page(request, form, preview_html=preview, token=token)
        if form.is_valid():
            resource = services.resource_create(
                data=form.cleaned_data, by=request.user, submission_token=token
            )
            messages.success(request, f"Draft “{resource.title}” saved. Only curators can see it.")
            return redirect("toolkit:resource", public_id=resource.public_id)
        return _resource_form_page(request, form, token=token)
    return _resource_form_page(request, ResourceForm(), token=uuid.uuid4())


@curator_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=resource)
        if request.POST.get("action") == "preview":
            preview = _preview(ResourceForm(request.POST, instance=resource))
            form = ResourceForm(request.POST, instance=resource)
            return _resource_form_page(request, form, resource=resource, preview_html=preview)
        if form.is_valid():
            try:
                services.resource_update(
                    resource=resource,
                    data=form.cleaned_data,
                    by=request.user,
                    expected_version=_version(request),
                )
            except services.EditConflict as conflict:
                return _conflict(request, conflict.current)
            messages.success(request, "Your changes have been saved.")
            return redirect("toolkit:resource", public_id=resource.public_id)
        resource.refresh_from_db()
        return _resource_form_page(request, form, resource=resource)
    return _resource_form_page(request, ResourceForm(instance=resource), resource=resource)


def _conflict(request, current, *, kind="resource"):
    if kind == "resource":
        url = reverse("toolkit:resource_edit", kwargs={"public_id": current.public_id})
    else:
        url = reverse("toolkit:service_edit", kwargs={"public_id": current.public_id})
    return render(
        request,
        "toolkit/conflict.html",
        {"current": current, "edit_url": url, "kind": kind},
        status=409,
    )


@curator_required
@require_POST
def resource_status(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    action = request.POST.get("action", "")
    if action not in services.STATUS_ACTIONS:
        messages.error(request, "Choose publish, archive or return to draft.")
        return redirect("toolkit:resource", public_id=public_id)
    try:
        resource = services.resource_change_status(
            resource=resource, action=action, by=request.user, expected_version=_version(request)
        )
    except services.EditConflict as conflict:
        return _conflict(request, conflict.current)
    label = services.STATUS_ACTIONS[action][1]
    messages.success(request, f"“{resource.title}” {label}.")
    return redirect("toolkit:resource", public_id=public_id)


@curator_required
def resource_history(request, public_id):
    resource = get_object_or_404(Resource, public_id=public_id)
    versions = resource.versions.select_related("created_by").order_by("-number")
    page_obj = _page(request, versions, 50)
    for version in page_obj:
        version.changed_labels = [services.FIELD_LABELS.get(f, f) for f in version.changed_fields]
    return render(
        request, "toolkit/resource_history.html", {"resource": resource, "page_obj": page_obj}
    )


@curator_required
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


@curator_required
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
            "page_obj": _page(request, services_qs),
            "query": _query_without_page(request),
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
    return render(request, "toolkit/service_detail.html", {"service": service})


def _service_form_page(request, service, form, location_form, formsets, token=None):
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
            "submission_token": token,
            "has_errors": has_errors,
        },
    )


@curator_required
@require_http_methods(["GET", "POST"])
def service_edit(request, public_id=None):
    service = Service() if public_id is None else get_object_or_404(Service, public_id=public_id)
    token = None
    if request.method == "POST":
        if service.pk is None:
            token = _token(request) or uuid.uuid4()
            service.submission_token = token
        form = ServiceForm(request.POST, instance=service)
        location_form = LocationForm(request.POST, prefix="location")
        formsets = service_formsets(request.POST, instance=service)
        valid = form.is_valid() & location_form.is_valid()
        formsets_valid = [fs.is_valid() for fs in formsets.values()]  # validate every one
        valid = valid and all(formsets_valid)
        if valid:
            try:
                saved = services.service_save(
                    service=service,
                    form=form,
                    location_form=location_form,
                    formsets=formsets,
                    by=request.user,
                    expected_version=_version(request) if public_id else None,
                )
            except services.EditConflict as conflict:
                return _conflict(request, conflict.current, kind="service")
            messages.success(request, f"“{saved.name}” saved.")
            return redirect("toolkit:service", public_id=saved.public_id)
        if service.pk:
            service.refresh_from_db()
    else:
        form = ServiceForm(instance=service)
        location_form = LocationForm(prefix="location")
        formsets = service_formsets(instance=service if service.pk else None)
        if service.pk is None:
            token = uuid.uuid4()
    return _service_form_page(request, service, form, location_form, formsets, token)
