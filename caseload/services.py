"""Actions on person records. Views validate forms, then call these."""

from django.db import transaction
from django.utils import timezone

from .audit import Action, audit_record
from .models import ServiceUser, StageChange, Status
from .signals import stage_changed
from .stages import Stage


@transaction.atomic
def service_user_change_stage(
    *, service_user, to_stage, by, note="", missing_evidence=(), request=None
):
    """Move a person to ``to_stage``, record it in the stage history and audit log,
    and send ``caseload.signals.stage_changed`` (a baseline network snapshot, for
    example, is taken by the networks app when a person first leaves ``assess``).

    Readiness checks are advisory and belong to the caller; this only records.
    """
    if to_stage not in Stage.values:
        raise ValueError(f"Unknown stage {to_stage!r}")
    locked = ServiceUser.objects.select_for_update().get(pk=service_user.pk)
    from_stage = locked.stage
    change = StageChange.objects.create(
        service_user=locked,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=by,
        changed_at=timezone.now(),
        note=note,
        missing_evidence=list(missing_evidence),
    )
    locked.stage = to_stage
    if to_stage == Stage.CLOSED:
        locked.status = Status.CLOSED
    elif locked.status in (Status.REFERRED, Status.CLOSED) and to_stage != Stage.REFERRAL:
        locked.status = Status.ACTIVE
    locked.version += 1
    locked.save(update_fields=["stage", "status", "version", "updated_at"])
    service_user.stage, service_user.status, service_user.version = (
        locked.stage,
        locked.status,
        locked.version,
    )
    audit_record(
        actor=by,
        action=Action.STAGE,
        service_user=locked,
        fields=["stage"],
        request=request,
        detail=f"{from_stage} → {to_stage}",
    )
    stage_changed.send(
        sender=ServiceUser,
        service_user=locked,
        stage_change=change,
        from_stage=from_stage,
        to_stage=to_stage,
        by=by,
    )
    return change
