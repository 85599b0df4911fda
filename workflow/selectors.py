"""Reads that span the apps, for the journey page, board and dashboard."""

from caseload.selectors import open_cases_worked_by, stages_visited
from toolkit.selectors import resources_for_stage


def visited_stages(service_user):
    """Stage codes the person has been at (from the stage history) plus the current one."""
    return stages_visited(service_user)


def suggested_resources(stage):
    """Up to five published toolkit resources tagged with the person's stage."""
    return resources_for_stage(stage, limit=5)


def my_caseload(user):
    """Open cases the user works on directly (allocated or co-worker), within
    what the access rules let them see."""
    return open_cases_worked_by(user)
