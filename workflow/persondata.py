"""Referrals are person data: what the subject access copy holds and erasure
removes, registered with the person-data registry (``caseload.persondata``)."""

from caseload import persondata

from .models import Referral, ReferralUpdate


def export_person(service_user, reveal_third_parties=False):
    """The person's suggestions and every step of them, as plain JSON values.
    No third party is named: listings are public directory entries."""
    rows = []
    referrals = (
        Referral.objects.filter(service_user=service_user)
        .select_related("service", "goal")
        .prefetch_related("updates")
        .order_by("suggested_on", "id")
    )
    for referral in referrals:
        rows.append(
            {
                "id": str(referral.public_id),
                "listing": referral.service.name,
                "status": referral.get_status_display(),
                "suggested_on": referral.suggested_on.isoformat(),
                "contacted_on": _iso(referral.contacted_on),
                "tried_on": _iso(referral.tried_on),
                "still_going_on": _iso(referral.still_going_on),
                "stopped_on": _iso(referral.stopped_on),
                "why_stopped": referral.get_stop_reason_display() if referral.stop_reason else None,
                "goal": referral.goal.title if referral.goal_id else None,
                "steps": [
                    {
                        "status": update.get_status_display(),
                        "on": update.on.isoformat(),
                        "why_stopped": update.get_stop_reason_display()
                        if update.stop_reason
                        else None,
                    }
                    for update in sorted(referral.updates.all(), key=lambda u: (u.on, u.pk))
                ],
            }
        )
    return rows


def _iso(value):
    return value.isoformat() if value else None


def erase_person(service_user):
    """Delete every suggestion about the person (their steps go with them)."""
    ReferralUpdate.objects.filter(referral__service_user=service_user).delete()
    Referral.objects.filter(service_user=service_user).delete()


def register():
    persondata.register(
        "referrals",
        models=[Referral, ReferralUpdate],
        export=export_person,
        erase=erase_person,
        label="Suggestions from the community directory",
    )
