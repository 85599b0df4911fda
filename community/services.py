"""Changes to a team's community register. Views validate forms, then call these.

The register holds no person data, so nothing here writes person audit events;
each link records who created and last changed it.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import CommunityLink


class StaleEdit(Exception):
    """Someone else saved the link after this edit began; nothing was saved."""

    # core: switch to core.conflicts.StaleEdit (and its conditional save)

    def __init__(self, current):
        super().__init__("The link changed since it was opened")
        self.current = current


def _create_once(*, submission_token, belongs, build):
    """Create once per form token: a second submission returns the first record.

    The same rule as ``caseload.idempotency.create_once``, which community may not
    import (DESIGN §6): a token of a record that does not ``belong`` is ignored.
    """
    # core: switch to core.idempotency.create_once
    if submission_token:
        existing = CommunityLink.objects.filter(submission_token=submission_token).first()
        if existing is not None and belongs(existing):
            return existing, False
        if existing is not None:
            submission_token = None
    try:
        with transaction.atomic():
            return build(submission_token), True
    except IntegrityError:
        existing = (
            CommunityLink.objects.filter(submission_token=submission_token).first()
            if submission_token
            else None
        )
        if existing is not None and belongs(existing):
            return existing, False
        raise


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

    return _create_once(
        submission_token=submission_token,
        belongs=lambda link: link.team_id == team.pk,
        build=build,
    )


@transaction.atomic
def link_update(*, link, by, values, expected_version):
    """Save changes to a link unless someone else saved it since ``expected_version``
    (then raise :class:`StaleEdit` and change nothing). Copies of directory names are
    refreshed from entries that are still listed."""
    locked = (
        CommunityLink.objects.select_for_update(of=("self",))
        .select_related("organisation", "service", "team")
        .get(pk=link.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name, value in {**values, **_directory_values(locked.organisation, locked.service)}.items():
        if name not in ("organisation", "service"):
            setattr(locked, name, value)
    locked.updated_by = by
    locked.version += 1
    locked.save()
    return locked


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
