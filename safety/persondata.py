"""What the safety app holds about a person, for the person-data registry
(``caseload.persondata``): their risk and safety alerts (active and ended) and
any lone-working check-in for a visit to them. Alerts are in the subject access
copy (the person has a right to them) but in no other export."""

from .models import LoneWorkingCheckIn, RiskAlert


def _when(value):
    return value.isoformat() if value else None


def _alert(alert):
    return {
        "category": alert.get_category_display(),
        "situation": alert.situation,
        "what_to_do": alert.what_to_do,
        "review_on": _when(alert.review_on),
        "recorded_by": str(alert.recorded_by),
        "recorded_at": _when(alert.recorded_at),
        "active": alert.is_active,
        "ended_at": _when(alert.ended_at),
        "ended_by": str(alert.ended_by) if alert.ended_by_id else None,
        "end_reason": alert.end_reason,
    }


def _check_in(check_in):
    return {
        "worker": str(check_in.worker),
        "where": check_in.where,
        "with_whom": check_in.with_whom,
        "started_at": _when(check_in.started_at),
        "expected_back_at": _when(check_in.expected_back_at),
        "closed_at": _when(check_in.closed_at),
    }


def export_person(service_user, *, reveal_third_parties=False):
    """The person's alerts and check-ins, oldest first, as plain data."""
    alerts = (
        RiskAlert.objects.filter(service_user=service_user)
        .select_related("recorded_by", "ended_by")
        .order_by("recorded_at", "id")
    )
    check_ins = (
        LoneWorkingCheckIn.objects.filter(service_user=service_user)
        .select_related("worker")
        .order_by("started_at", "id")
    )
    return {
        "alerts": [_alert(alert) for alert in alerts],
        "check_ins": [_check_in(check_in) for check_in in check_ins],
    }


def erase_person(service_user):
    """Delete the person's alerts and the check-ins naming them (inside the
    erasure's transaction)."""
    erase_people([service_user])


def erase_people(service_users):
    """:func:`erase_person` for a batch, in two queries."""
    ids = [person.pk for person in service_users]
    RiskAlert.objects.filter(service_user__in=ids).delete()
    LoneWorkingCheckIn.objects.filter(service_user__in=ids).delete()
