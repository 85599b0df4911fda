"""Changes to a person's network. Views validate forms, then call these; every
change is recorded in the audit log (field names only, never the content)."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from caseload.audit import Action, audit_record
from core.conflicts import save_if_current
from core.idempotency import create_once, created_before

from .models import NetworkMember, Snapshot, Tie
from .selectors import baseline_for, compute_metrics, map_data

MEMBER_FIELDS = (
    "kind",
    "label",
    "sector",
    "ring",
    "frequency",
    "support",
    "direction",
    "quality",
    "known_since",
    "opportunity",
    "notes",
    "added_on",
)


class NetworkError(Exception):
    """A change that cannot be made; the message is for the user."""


@transaction.atomic
def member_create(*, service_user, data, by, submission_token=None, request=None):
    """Add a member to the person's map. A repeated ``submission_token`` (the same
    form sent twice) returns the member the first submission created."""

    def build(token):
        member = NetworkMember(
            service_user=service_user,
            created_by=by,
            submission_token=token,
            **{name: data[name] for name in MEMBER_FIELDS if name in data},
        )
        member.full_clean()
        member.save()
        return member

    member, created = create_once(
        NetworkMember,
        submission_token=submission_token,
        belongs=lambda record: record.service_user_id == service_user.pk,
        build=build,
    )
    if not created:
        return member
    audit_record(
        actor=by,
        action=Action.CREATE,
        service_user=service_user,
        obj=member,
        fields=[name for name in MEMBER_FIELDS if name in data],
        request=request,
    )
    return member


@transaction.atomic
def member_update(*, member, data, expected_version, by, request=None):
    """Save changes to a member unless someone else saved it since ``expected_version``
    was read (then :class:`core.conflicts.StaleEdit`, nothing overwritten)."""
    # Compare with what is stored: a bound ModelForm has already copied its
    # answers onto ``member``.
    stored = NetworkMember.objects.get(pk=member.pk)
    changed = [
        name for name in MEMBER_FIELDS if name in data and getattr(stored, name) != data[name]
    ]
    for name in changed:
        setattr(member, name, data[name])
    member.full_clean()
    member.version = save_if_current(
        NetworkMember,
        pk=member.pk,
        version=expected_version,
        values={name: getattr(member, name) for name in changed},
    )
    member.refresh_from_db(fields=["updated_at"])
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            service_user=member.service_user,
            obj=member,
            fields=changed,
            request=request,
        )
    return member


@transaction.atomic
def member_end(*, member, ended_on, reason="", by, request=None):
    """End a member's place on the map (kept, so loss over time is visible)."""
    if ended_on < member.added_on:
        raise NetworkError("The end date must be on or after the date they were added.")
    if ended_on > timezone.localdate():
        raise NetworkError("The end date cannot be in the future.")
    updated = NetworkMember.objects.filter(pk=member.pk, ended_on__isnull=True).update(
        ended_on=ended_on,
        end_reason=reason,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise NetworkError(f"{member.label} has already been ended.")
    member.refresh_from_db(fields=["ended_on", "end_reason", "version", "updated_at"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=member.service_user,
        obj=member,
        fields=["ended_on", "end_reason"] if reason else ["ended_on"],
        request=request,
        detail="ended",
    )
    return member


@transaction.atomic
def member_restore(*, member, by, request=None):
    """Undo ending a member (for an end recorded by mistake); their links count again."""
    updated = NetworkMember.objects.filter(pk=member.pk, ended_on__isnull=False).update(
        ended_on=None, end_reason="", version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise NetworkError(f"{member.label} is already on the map.")
    member.refresh_from_db(fields=["ended_on", "end_reason", "version", "updated_at"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=member.service_user,
        obj=member,
        fields=["ended_on", "end_reason"],
        request=request,
        detail="restored",
    )
    return member


@transaction.atomic
def tie_create(*, service_user, first, second, by, request=None):
    """Record that two members of the person's map know each other."""
    if first.service_user_id != service_user.pk or second.service_user_id != service_user.pk:
        raise NetworkError("Both members must be on this person's map.")
    if first.pk == second.pk:
        raise NetworkError("Choose two different members: a member cannot be linked to themselves.")
    if not (first.is_active and second.is_active):
        raise NetworkError("Only current members can be linked; one of them has been ended.")
    member_a, member_b = sorted((first, second), key=lambda member: member.pk)
    if Tie.objects.filter(member_a=member_a, member_b=member_b).exists():
        raise NetworkError(f"{member_a.label} and {member_b.label} are already linked.")
    try:
        with transaction.atomic():
            tie = Tie.objects.create(
                service_user=service_user, member_a=member_a, member_b=member_b, created_by=by
            )
    except IntegrityError as exc:
        raise NetworkError(f"{member_a.label} and {member_b.label} are already linked.") from exc
    audit_record(
        actor=by,
        action=Action.CREATE,
        service_user=service_user,
        obj=tie,
        fields=["member_a", "member_b"],
        request=request,
    )
    return tie


@transaction.atomic
def tie_remove(*, tie, by, request=None):
    service_user = tie.service_user
    audit_record(
        actor=by,
        action=Action.DELETE,
        service_user=service_user,
        obj=tie,
        fields=["member_a", "member_b"],
        request=request,
    )
    tie.delete()


@transaction.atomic
def snapshot_take(
    *,
    service_user,
    label,
    by,
    is_baseline=False,
    automatic=False,
    submission_token=None,
    taken_at=None,
    request=None,
):
    """Freeze the current map and its metrics (``taken_at`` defaults to now).

    A second baseline is refused; a repeated ``submission_token`` returns the
    snapshot the first submission took."""

    def mine(record):
        return record.service_user_id == service_user.pk

    # Before the baseline check: a baseline sent twice is the one baseline, not an error.
    existing = created_before(Snapshot, submission_token=submission_token, belongs=mine)
    if existing is not None:
        return existing
    baseline = baseline_for(service_user)
    if is_baseline and baseline is not None:
        raise NetworkError("This person already has a baseline snapshot.")
    data = map_data(service_user)
    snapshot_metrics = compute_metrics(data, None if is_baseline else baseline)
    if is_baseline:
        snapshot_metrics["new_since_baseline"] = snapshot_metrics["lost_since_baseline"] = 0
    try:
        snapshot, created = create_once(
            Snapshot,
            submission_token=submission_token,
            belongs=mine,
            build=lambda token: Snapshot.objects.create(
                service_user=service_user,
                label=label,
                is_baseline=is_baseline,
                automatic=automatic,
                taken_by=by,
                data=data,
                metrics=snapshot_metrics,
                member_count=len(data["members"]),
                tie_count=snapshot_metrics["ties"],
                submission_token=token,
                taken_at=taken_at or timezone.now(),
            ),
        )
    except IntegrityError as exc:
        # The one-baseline-per-person constraint: another baseline won the race.
        raise NetworkError("This person already has a baseline snapshot.") from exc
    if not created:
        return snapshot
    audit_record(
        actor=by,
        action=Action.CREATE,
        service_user=service_user,
        obj=snapshot,
        fields=["data", "metrics"],
        request=request,
        detail="baseline" if is_baseline else "",
    )
    return snapshot


def baseline_take_if_missing(*, service_user, by):
    """Take the baseline snapshot automatically, unless the person already has one."""
    if baseline_for(service_user) is not None:
        return None
    try:
        return snapshot_take(
            service_user=service_user,
            label="Baseline (taken when leaving Exploring connections)",
            by=by,
            is_baseline=True,
            automatic=True,
        )
    except NetworkError:
        return None
