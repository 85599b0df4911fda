"""Actions that span apps: moving a person through the cycle."""

from django.core.exceptions import ValidationError

from caseload.services import service_user_change_stage
from caseload.stages import STAGE_ORDER, Stage

from .facts import facts_for_checks
from .rules import allowed_moves, missing_evidence, stage_label


def person_move_stage(*, service_user, to_stage, by, reason="", request=None):
    """Move a person to ``to_stage`` if the cycle allows it.

    Missing evidence for the stage being left needs a reason, as does going back
    a stage; both are kept in the stage history. Raises ValidationError with a
    message for the user otherwise.
    """
    current = service_user.stage
    if current == Stage.CLOSED:
        raise ValidationError(
            "This person's case is closed. Reopen it before moving them to another stage.",
            code="closed",
        )
    if to_stage not in Stage.values:
        raise ValidationError("Choose a stage from the list.", code="unknown_stage")
    if to_stage not in allowed_moves(current):
        raise ValidationError(
            f"{stage_label(current)} cannot move straight to {stage_label(to_stage)}.",
            code="not_allowed",
        )
    reason = (reason or "").strip()
    facts = facts_for_checks(service_user, current)
    missing = missing_evidence(current, facts)
    is_loop = current == Stage.REVIEW
    going_back = STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(current) and not is_loop
    if missing and not reason:
        raise ValidationError(
            "Some evidence is missing. Say briefly why you are moving on anyway.",
            code="reason_required",
        )
    if going_back and not reason:
        raise ValidationError("Say briefly why you are going back a stage.", code="reason_required")
    return service_user_change_stage(
        service_user=service_user,
        to_stage=to_stage,
        by=by,
        note=reason,
        missing_evidence=missing,
        request=request,
    )
