"""The stages of the Connecting People cycle (DESIGN.md §2). Codes are fixed."""

from django.db import models


class Stage(models.TextChoices):
    REFERRAL = "referral", "Referred"
    GETTING_STARTED = "getting_started", "Getting to know each other"
    ASSESS = "assess", "Exploring connections"
    PLAN = "plan", "Planning"
    CONNECT = "connect", "Connecting"
    REVIEW = "review", "Reviewing"
    MOVING_ON = "moving_on", "Moving on"
    CLOSED = "closed", "Closed"


STAGE_ORDER = [stage.value for stage in Stage]


def stage_label(code):
    """The stage's name as people read it; an unknown code is shown as it is."""
    return Stage(code).label if code in Stage.values else code
