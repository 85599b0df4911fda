"""Changes to the toolkit: resources (with version history) and directory services.

Views validate a form and call one of these; each runs in a transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.conflicts import save_if_current
from core.idempotency import create_once

from .models import (
    PracticeArea,
    Resource,
    ResourceStage,
    ResourceVersion,
    Service,
)

# Fields a version snapshot keeps, in the order the history page lists them.
VERSIONED_FIELDS = [
    "title",
    "summary",
    "body",
    "kind",
    "stages",
    "practice_areas",
    "tags",
    "external_url",
    "file",
    "review_by",
    "status",
]
FIELD_LABELS = {
    "title": "title",
    "summary": "summary",
    "body": "body",
    "kind": "type",
    "stages": "stages",
    "practice_areas": "practice areas",
    "tags": "tags",
    "external_url": "external link",
    "file": "file",
    "review_by": "review-by date",
    "status": "status",
}


def _snapshot(resource):
    return {
        "title": resource.title,
        "summary": resource.summary,
        "body": resource.body,
        "kind": resource.kind,
        "stages": sorted(resource.stage_tags.values_list("stage", flat=True)),
        "practice_areas": sorted(resource.practice_areas.values_list("number", flat=True)),
        "tags": resource.tags,
        "external_url": resource.external_url,
        "file": {
            "name": resource.file.name if resource.file else "",
            "file_name": resource.file_name,
            "file_type": resource.file_type,
            "file_size": resource.file_size,
        },
        "review_by": resource.review_by.isoformat() if resource.review_by else None,
        "status": resource.status,
    }


def _record_version(resource, *, by, action):
    data = _snapshot(resource)
    previous = resource.versions.order_by("-number").first()
    if previous is None:
        changed = [field for field in VERSIONED_FIELDS if data.get(field)]
    else:
        changed = [f for f in VERSIONED_FIELDS if previous.data.get(f) != data.get(f)]
    return ResourceVersion.objects.create(
        resource=resource,
        number=(previous.number + 1) if previous else 1,
        created_by=by,
        action=action,
        changed_fields=changed,
        data=data,
    )


def _apply(resource, *, data, by):
    """Copy cleaned form data onto ``resource`` (not saved)."""
    for field in ["title", "summary", "body", "kind", "tags", "external_url", "review_by"]:
        if field in data:
            setattr(resource, field, data[field])
    upload = data.get("file")
    if upload:
        resource.file = upload
        resource.file_name = upload.name[-255:]
        resource.file_type = data.get("file_type", "")
        resource.file_size = upload.size
    elif data.get("remove_file"):
        resource.file = ""
        resource.file_name = resource.file_type = ""
        resource.file_size = None
    resource.updated_by = by


def _set_tags(resource, *, stages, practice_areas):
    if stages is not None:
        stages = set(stages)
        resource.stage_tags.exclude(stage__in=stages).delete()
        existing = set(resource.stage_tags.values_list("stage", flat=True))
        ResourceStage.objects.bulk_create(
            [ResourceStage(resource=resource, stage=code) for code in sorted(stages - existing)]
        )
    if practice_areas is not None:
        resource.practice_areas.set(practice_areas)


@transaction.atomic
def resource_create(*, data, by, submission_token=None):
    """Create a draft resource; a repeated submission returns the first one.
    Returns ``(resource, created)``."""

    def build(token):
        resource = Resource(created_by=by, submission_token=token)
        _apply(resource, data=data, by=by)
        resource.status = Resource.Status.DRAFT
        resource.save()
        _set_tags(
            resource, stages=data.get("stages", []), practice_areas=data.get("practice_areas")
        )
        _record_version(resource, by=by, action="created")
        return resource

    return create_once(Resource, submission_token=submission_token, build=build)


def _claim(model, *, pk, expected_version):
    """The row ``pk`` at its next version, for a full save: the conditional save
    moves the version on only if nobody saved since ``expected_version``
    (else :class:`core.conflicts.StaleEdit`) and keeps the row locked until the
    transaction ends, so the save that follows cannot lose anyone's changes."""
    save_if_current(model, pk=pk, version=expected_version)
    return model.objects.get(pk=pk)


@transaction.atomic
def resource_update(*, resource, data, by, expected_version):
    """Save an edit of a resource as a new version of it (the history keeps the
    old one), unless someone saved it since ``expected_version``."""
    current = _claim(Resource, pk=resource.pk, expected_version=expected_version)
    _apply(current, data=data, by=by)
    current.save()
    _set_tags(current, stages=data.get("stages"), practice_areas=data.get("practice_areas"))
    _record_version(current, by=by, action="edited")
    return current


STATUS_ACTIONS = {
    "publish": (Resource.Status.PUBLISHED, "published"),
    "archive": (Resource.Status.ARCHIVED, "archived"),
    "unpublish": (Resource.Status.DRAFT, "returned to draft"),
}


@transaction.atomic
def resource_change_status(*, resource, action, by, expected_version):
    """Publish, archive or return a resource to draft, unless someone saved it
    since ``expected_version`` (the curator decided on what they saw)."""
    status, label = STATUS_ACTIONS[action]
    current = Resource.objects.get(pk=resource.pk)
    if current.status == status and current.version == expected_version:
        return current
    current = _claim(Resource, pk=resource.pk, expected_version=expected_version)
    current.status = status
    if status == Resource.Status.PUBLISHED:
        current.published_at = timezone.now()
    current.updated_by = by
    current.save()
    _record_version(current, by=by, action=label)
    return current


@transaction.atomic
def resource_restore(*, resource, version, by):
    """Make ``version``'s content current again, as a new version (history is kept).

    The status is left as it is: restoring old words does not publish or hide them.
    """
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    data = version.data
    for field in ["title", "summary", "body", "kind", "tags", "external_url"]:
        setattr(locked, field, data.get(field, ""))
    locked.review_by = (
        datetime.date.fromisoformat(data["review_by"]) if data.get("review_by") else None
    )
    file_data = data.get("file") or {}
    locked.file = file_data.get("name", "")
    locked.file_name = file_data.get("file_name", "")
    locked.file_type = file_data.get("file_type", "")
    locked.file_size = file_data.get("file_size")
    locked.updated_by = by
    locked.version += 1
    locked.save()
    _set_tags(
        locked,
        stages=data.get("stages", []),
        practice_areas=PracticeArea.objects.filter(number__in=data.get("practice_areas", [])),
    )
    _record_version(locked, by=by, action=f"restored version {version.number}")
    return locked


# Directory -----------------------------------------------------------------


def service_search_text(service):
    """Everything someone might search a service by, from the service and its relations."""
    parts = [service.name, service.description, service.eligibility_description]
    if service.organization_id:
        parts.append(service.organization.name)
    parts += [term.name for term in service.categories.all()]
    for location in service.locations.all():
        parts += [location.name, location.address_1, location.city, location.postal_code]
    return "\n".join(part for part in parts if part)


def service_refresh_search_text(service):
    text = service_search_text(service)
    if text != service.search_text:
        Service.objects.filter(pk=service.pk).update(search_text=text)
        service.search_text = text


def _service_write(*, form, location_form, formsets, by):
    """Save a directory service from its validated forms (the form's instance)."""
    from .models import Accessibility, Organization, ServiceAtLocation

    data = form.cleaned_data
    service = form.save(commit=False)
    if not data.get("organization"):
        service.organization = Organization.objects.create(name=data["new_organization"].strip())
    service.updated_by = by
    service.last_modified = timezone.now()
    service.source_hash = ""  # a curator's edit: the next import of the feed rewrites it
    service.save()
    service.categories.set(data.get("categories") or [])
    locations = list(data.get("locations") or [])
    if location_form is not None and location_form.has_content():
        location = location_form.save()
        if location_form.cleaned_data.get("accessibility"):
            Accessibility.objects.create(
                location=location, description=location_form.cleaned_data["accessibility"]
            )
        locations.append(location)
    service.at_locations.exclude(location__in=locations).delete()
    linked = set(service.at_locations.values_list("location_id", flat=True))
    ServiceAtLocation.objects.bulk_create(
        [
            ServiceAtLocation(service=service, location=loc)
            for loc in locations
            if loc.pk not in linked
        ]
    )
    for formset in formsets.values():
        formset.instance = service
        formset.save()
    service_refresh_search_text(service)
    return service


@transaction.atomic
def service_create(*, form, location_form, formsets, by, submission_token=None):
    """Add a directory service from its validated forms; a repeated
    ``submission_token`` returns the service the first submission added.
    Returns ``(service, created)``."""

    def build(token):
        form.instance.submission_token = token
        return _service_write(form=form, location_form=location_form, formsets=formsets, by=by)

    return create_once(Service, submission_token=submission_token, build=build)


@transaction.atomic
def service_update(*, service, form, location_form, formsets, by, expected_version):
    """Save an edited directory service unless someone saved it since
    ``expected_version`` (then :class:`core.conflicts.StaleEdit`, nothing written)."""
    service.version = save_if_current(Service, pk=service.pk, version=expected_version)
    return _service_write(form=form, location_form=location_form, formsets=formsets, by=by)


# Feed subscriptions -----------------------------------------------------------


def feed_create(*, data, by):
    """Register an ORUK feed (the form checked its address)."""
    from .models import FeedSubscription

    return FeedSubscription.objects.create(name=data["name"], url=data["url"], created_by=by)
