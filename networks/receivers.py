"""Reactions to other apps' signals (caseload never imports networks)."""

from caseload.stages import Stage

from .services import baseline_take_if_missing


def take_baseline_when_leaving_assess(sender, *, service_user, from_stage, by, **kwargs):
    """The first time a person leaves *Exploring connections*, freeze their map as the
    baseline, unless one was already taken."""
    if from_stage == Stage.ASSESS:
        baseline_take_if_missing(service_user=service_user, by=by)
