"""Reads that span the apps, for the journey page, board and dashboard."""

from django.db.models import Q

from caseload.access import visible_service_users
from caseload.models import ServiceUser, StageChange, Status
from toolkit.selectors import resources_for_stage


def visited_stages(service_user):
    """Stage codes the person has been at (from the stage history) plus the current one."""
    codes = set(
        StageChange.objects.filter(service_user=service_user).values_list("to_stage", flat=True)
    )
    codes.add(service_user.stage)
    return codes


def suggested_resources(stage):
    """Up to five published toolkit resources tagged with the person's stage."""
    return resources_for_stage(stage, limit=5)


def my_caseload(user):
    """Open cases the user works on directly (allocated or co-worker), within
    what the access rules let them see."""
    co_worked = ServiceUser.co_workers.through.objects.filter(user_id=user.pk).values(
        "serviceuser_id"
    )
    return (
        visible_service_users(user)
        .filter(Q(allocated_worker_id=user.pk) | Q(pk__in=co_worked))
        .exclude(status=Status.CLOSED)
        .select_related("allocated_worker")
        .order_by("preferred_name", "id")
    )
