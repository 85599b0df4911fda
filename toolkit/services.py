"""Changes to the toolkit: resources (with version history) and directory services.

Views validate a form and call one of these; each runs in a transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone

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


class EditConflict(Exception):
    """Someone else saved the record after this form was opened."""

    def __init__(self, current):
        super().__init__("The record was changed by someone else.")
        self.current = current


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
    """Create a draft resource; a repeated submission returns the first one."""
    if submission_token:
        existing = Resource.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    resource = Resource(created_by=by, submission_token=submission_token)
    _apply(resource, data=data, by=by)
    resource.status = Resource.Status.DRAFT
    resource.save()
    _set_tags(resource, stages=data.get("stages", []), practice_areas=data.get("practice_areas"))
    _record_version(resource, by=by, action="created")
    return resource


@transaction.atomic
def resource_update(*, resource, data, by, expected_version):
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if locked.version != expected_version:
        raise EditConflict(locked)
    _apply(locked, data=data, by=by)
    locked.version += 1
    locked.save()
    _set_tags(locked, stages=data.get("stages"), practice_areas=data.get("practice_areas"))
    _record_version(locked, by=by, action="edited")
    return locked


STATUS_ACTIONS = {
    "publish": (Resource.Status.PUBLISHED, "published"),
    "archive": (Resource.Status.ARCHIVED, "archived"),
    "unpublish": (Resource.Status.DRAFT, "returned to draft"),
}


@transaction.atomic
def resource_change_status(*, resource, action, by, expected_version=None):
    status, label = STATUS_ACTIONS[action]
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked)
    if locked.status == status:
        return locked
    locked.status = status
    if status == Resource.Status.PUBLISHED:
        locked.published_at = timezone.now()
    locked.updated_by = by
    locked.version += 1
    locked.save()
    _record_version(locked, by=by, action=label)
    return locked


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


@transaction.atomic
def service_save(*, service, form, location_form, formsets, by, expected_version=None):
    """Create or update a directory service from its validated forms."""
    from .models import Accessibility, Organization, ServiceAtLocation

    if service.pk:
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if expected_version is not None and locked.version != expected_version:
            raise EditConflict(locked)
        service.version = locked.version + 1
    else:
        token = getattr(service, "submission_token", None)
        if token:
            existing = Service.objects.filter(submission_token=token).first()
            if existing:
                return existing
    data = form.cleaned_data
    service = form.save(commit=False)
    if not data.get("organization"):
        service.organization = Organization.objects.create(name=data["new_organization"].strip())
    service.updated_by = by
    service.last_modified = timezone.now()
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
