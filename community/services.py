"""Changes to a team's community register. Views validate forms, then call these.

The register holds no person data, so nothing here writes person audit events;
each link records who created and last changed it.
"""

from django.db import transaction
from django.utils import timezone

from core.conflicts import save_if_current
from core.idempotency import create_once

from .models import CommunityLink


def _directory_values(organisation, service):
    """The directory links and the copies a link keeps of them."""
    values = {"organisation": organisation, "service": service}
    if organisation is not None:
        values["organisation_ref"] = organisation.public_id
        values["name"] = organisation.name
    if service is not None:
        values["service_ref"] = service.public_id
        values["service_name"] = service.name
        values.setdefault("name", service.name)
    return values


def link_create(*, team, by, values, organisation=None, service=None, submission_token=None):
    """Add a link to ``team``'s register. ``values`` are the form's model fields; a
    directory ``organisation`` or ``service`` gives the names. Returns (link, created)."""

    def build(token):
        return CommunityLink.objects.create(
            team=team,
            created_by=by,
            updated_by=by,
            submission_token=token,
            **{**values, **_directory_values(organisation, service)},
        )

    return create_once(
        CommunityLink,
        submission_token=submission_token,
        belongs=lambda link: link.team_id == team.pk,
        build=build,
    )


@transaction.atomic
def link_update(*, link, by, values, expected_version):
    """Save changes to a link unless someone else saved it since ``expected_version``
    (then :class:`core.conflicts.StaleEdit`, nothing changed). Copies of directory
    names are refreshed from entries that are still listed."""
    stored = CommunityLink.objects.select_related("organisation", "service").get(pk=link.pk)
    changed = {name: value for name, value in values.items() if getattr(stored, name) != value}
    if not changed and stored.version == expected_version:
        return stored
    directory = {
        name: value
        for name, value in _directory_values(stored.organisation, stored.service).items()
        if name not in ("organisation", "service")
    }
    new_version = save_if_current(
        CommunityLink,
        pk=link.pk,
        version=expected_version,
        values={**changed, **directory, "updated_by": by},
    )
    for name, value in {**changed, **directory}.items():
        setattr(stored, name, value)
    stored.updated_by, stored.version = by, new_version
    return stored


@transaction.atomic
def link_record_contact(*, link, by, today=None):
    """Someone in the team was in touch today: the last contact becomes today (an
    earlier date is replaced, never a later one) and a planned contact due by today
    is cleared, since it has happened."""
    today = today or timezone.localdate()
    locked = CommunityLink.objects.select_for_update().get(pk=link.pk)
    changed = False
    if locked.last_contact_on is None or locked.last_contact_on < today:
        locked.last_contact_on = today
        changed = True
    if locked.next_contact_on is not None and locked.next_contact_on <= today:
        locked.next_contact_on = None
        changed = True
    if changed:
        locked.updated_by = by
        locked.version += 1
        locked.save(
            update_fields=[
                "last_contact_on",
                "next_contact_on",
                "updated_by",
                "version",
                "updated_at",
            ]
        )
    return locked


def link_delete(*, link):
    """Remove a link added by mistake (a directory entry that goes never removes one)."""
    CommunityLink.objects.filter(pk=link.pk).delete()
