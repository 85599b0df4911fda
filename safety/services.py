"""Changes to alerts and check-ins: keyword-only, one transaction each, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseload.audit import Action, audit_record
from core.conflicts import save_if_current
from core.idempotency import create_once

from .models import LoneWorkingCheckIn, RiskAlert, TeamSafetySettings

ALERT_FIELDS = ("category", "situation", "what_to_do", "review_on")


@transaction.atomic
def alert_create(*, service_user, by, values, submission_token=None, request=None):
    """Record an alert. A repeated ``submission_token`` returns the alert it
    created the first time. Returns ``(alert, created)``."""

    def build(token):
        alert = RiskAlert(
            service_user=service_user,
            recorded_by=by,
            submission_token=token,
            **{name: values[name] for name in ALERT_FIELDS},
        )
        alert.full_clean()
        alert.save()
        return alert

    alert, created = create_once(
        RiskAlert,
        submission_token=submission_token,
        belongs=lambda record: record.service_user_id == service_user.pk,
        build=build,
    )
    if created:
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=alert,
            fields=ALERT_FIELDS,
            request=request,
        )
    return alert, created


@transaction.atomic
def alert_update(*, alert, by, values, expected_version, changed=(), request=None):
    """Save an edited alert if nobody saved it since ``expected_version``; raises
    :class:`core.conflicts.StaleEdit` (writing nothing) otherwise."""
    values = {name: values[name] for name in ALERT_FIELDS if name in values}
    alert.version = save_if_current(RiskAlert, pk=alert.pk, version=expected_version, values=values)
    for name, value in values.items():
        setattr(alert, name, value)
    if changed:
        audit_record(
            actor=by,
            action=Action.UPDATE,
            service_user=alert.service_user,
            obj=alert,
            fields=changed,
            request=request,
        )
    return alert


@transaction.atomic
def alert_end(*, alert, by, reason, request=None, now=None):
    """End an active alert with a reason. Ending an alert already ended changes
    nothing and returns False (two people ending it at once end it once)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"end_reason": "Say why the alert is ending."})
    now = now or timezone.now()
    ended = RiskAlert.objects.filter(pk=alert.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=by, end_reason=reason, version=alert.version + 1, updated_at=now
    )
    if not ended:
        return False
    alert.ended_at, alert.ended_by, alert.end_reason = now, by, reason
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=alert.service_user,
        obj=alert,
        fields=["ended_at", "end_reason"],
        request=request,
        detail="ended",
    )
    return True


@transaction.atomic
def check_in_start(*, worker, team, values, submission_token=None, started_at=None, request=None):
    """Start a check-in. Returns ``(check_in, created)``; a form sent twice starts one."""

    def build(token):
        return LoneWorkingCheckIn.objects.create(
            worker=worker,
            team=team,
            started_at=started_at or timezone.now(),
            submission_token=token,
            service_user=values.get("service_user"),
            where=values["where"],
            with_whom=values["with_whom"],
            expected_back_at=values["expected_back_at"],
        )

    check_in, created = create_once(
        LoneWorkingCheckIn,
        submission_token=submission_token,
        belongs=lambda record: record.worker_id == worker.pk,
        build=build,
    )
    if created and check_in.service_user_id:
        audit_record(
            actor=worker,
            action=Action.CREATE,
            service_user=check_in.service_user,
            obj=check_in,
            fields=["where", "with_whom", "expected_back_at"],
            request=request,
        )
    return check_in, created


def check_in_close(*, check_in, by, now=None):
    """ "I'm back": close an open check-in (once; a second press changes nothing)."""
    now = now or timezone.now()
    closed = LoneWorkingCheckIn.objects.filter(pk=check_in.pk, closed_at__isnull=True).update(
        closed_at=now
    )
    if closed:
        check_in.closed_at = now
        if check_in.service_user_id:
            audit_record(
                actor=by,
                action=Action.UPDATE,
                service_user=check_in.service_user,
                obj=check_in,
                fields=["closed_at"],
            )
    return bool(closed)


def team_set_check_ins(*, team, enabled, by):
    """Switch lone-working check-ins on or off for a team."""
    settings_row, _created = TeamSafetySettings.objects.update_or_create(
        team=team, defaults={"check_ins_enabled": enabled, "changed_by": by}
    )
    return settings_row
