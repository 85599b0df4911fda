"""What the networks app holds about a person, for the registry in
:mod:`caseload.persondata`: the export for a subject access copy, erasure, and
replacing a third party's name when they ask to be removed from a map.

Snapshots are immutable everywhere else; here the law comes first, through
:func:`networks.models.snapshot_rows_for_data_protection`.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseload.audit import Action, audit_record

from . import exports, presenters, selectors
from .models import NetworkMember, Tie, snapshot_rows_for_data_protection

WITHHELD = "(withheld: it may identify someone else)"


def _all_member_data(service_user):
    members = list(
        NetworkMember.objects.filter(service_user=service_user)
        .select_related("opportunity")
        .order_by("added_on", "id")
    )
    return members, {str(m.public_id): selectors.member_data(m) for m in members}


def member_pseudonyms(service_user, *, members=None, snapshots=()):
    """``{member public id: "Friend 1", ...}`` over everyone ever on the map
    (ended members too, and anyone found only in a snapshot), so a member has
    the same pseudonym in the map, the links and every snapshot."""
    if members is None:
        _objects, members = _all_member_data(service_user)
    everyone = dict(members)
    for snapshot in snapshots:
        for member in snapshot.data.get("members", []):
            everyone.setdefault(member["id"], member)
    return exports.pseudonyms(list(everyone.values()))


def _member_row(member, names, *, notes=None, extra=None):
    row = presenters.member_row(member)
    exported = {
        "name": names.get(member["id"], member["label"]),
        "kind": row["kind_label"],
        "area_of_life": row["sector_label"],
        "closeness": row["ring_label"],
        "how_often_in_contact": row["frequency_label"],
        "support_they_give": row["support_labels"],
        "direction_of_help": row["direction_label"],
        "how_the_relationship_feels": row["quality_label"],
        "known_since": member.get("known_since"),
        "opportunity_it_came_through": member.get("opportunity") or None,
        "added_on": member.get("added_on"),
    }
    if notes is not None:
        exported["notes"] = notes
    exported.update(extra or {})
    return exported


def _links(pairs, names):
    return [{"between": names.get(a, "?"), "and": names.get(b, "?")} for a, b in pairs]


def export_person(service_user, *, reveal_third_parties=False):
    """The map (members, ended members, links) and every snapshot as plain data.

    Unless ``reveal_third_parties``, members are named by their pseudonym
    ("Friend 1") and notes about them are withheld.
    """
    members, data = _all_member_data(service_user)
    snapshots = list(
        snapshot_rows_for_data_protection(service_user)
        .select_related("taken_by")
        .order_by("taken_at", "id")
    )
    if reveal_third_parties:
        names = {key: member["label"] for key, member in data.items()}
        for snapshot in snapshots:
            for member in snapshot.data.get("members", []):
                names.setdefault(member["id"], member["label"])
    else:
        names = member_pseudonyms(service_user, members=data, snapshots=snapshots)

    exported_members = []
    for member in members:
        key = str(member.public_id)
        notes = member.notes if reveal_third_parties or not member.notes else WITHHELD
        extra = {}
        if member.ended_on:
            extra["ended_on"] = member.ended_on.isoformat()
            extra["why_it_ended"] = member.end_reason
        if member.name_removed_at:
            extra["name_removed_at_their_request_on"] = member.name_removed_at.isoformat()
        exported_members.append(_member_row(data[key], names, notes=notes, extra=extra))
    pairs = Tie.objects.filter(service_user=service_user).values_list(
        "member_a__public_id", "member_b__public_id"
    )
    return {
        "members": exported_members,
        "links_between_members": _links(((str(a), str(b)) for a, b in pairs), names),
        "snapshots": [
            {
                "label": snapshot.label,
                "taken_at": snapshot.taken_at.isoformat(),
                "baseline": snapshot.is_baseline,
                "taken_by": str(snapshot.taken_by) if snapshot.taken_by_id else None,
                "members": [_member_row(m, names) for m in snapshot.data.get("members", [])],
                "links_between_members": _links(snapshot.data.get("ties", []), names),
                "figures": {
                    row["label"]: row["value"]
                    for row in presenters.metric_rows(snapshot.metrics or {})
                },
            }
            for snapshot in snapshots
        ],
    }


def erase_people(service_users):
    """Delete the people's links, snapshots and members (inside the erasure)."""
    Tie.objects.filter(service_user__in=service_users).delete()
    snapshot_rows_for_data_protection(*service_users).delete()
    NetworkMember.objects.filter(service_user__in=service_users).delete()


def erase_person(service_user):
    erase_people([service_user])


@transaction.atomic
def member_remove_name(*, member, by, clear_notes=False, request=None):
    """A third party asked to be removed from the person's map: replace their
    name by their pseudonym on the map and in every snapshot, and record it.
    Returns ``(pseudonym, number of snapshots changed)``."""
    service_user = member.service_user
    snapshots = list(snapshot_rows_for_data_protection(service_user).select_for_update())
    pseudonym = member_pseudonyms(service_user, snapshots=snapshots)[str(member.public_id)]
    key = str(member.public_id)
    changed_snapshots = 0
    for snapshot in snapshots:
        data = snapshot.data
        touched = False
        for entry in data.get("members", []):
            if entry.get("id") == key and entry.get("label") != pseudonym:
                entry["label"] = pseudonym
                touched = True
        if touched:
            snapshot_rows_for_data_protection(service_user).filter(pk=snapshot.pk).update(data=data)
            changed_snapshots += 1
    values = {"label": pseudonym, "name_removed_at": timezone.now()}
    if clear_notes:
        values["notes"] = ""
    NetworkMember.objects.filter(pk=member.pk).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    member.refresh_from_db()
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=service_user,
        obj=member,
        fields=["label", *(["notes"] if clear_notes else [])],
        request=request,
        detail=f"name removed at their request (map and {changed_snapshots} snapshots)",
    )
    return pseudonym, changed_snapshots
