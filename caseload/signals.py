"""Signals other apps listen to, so caseload never imports them."""

from django.dispatch import Signal

# Sent after a person's stage changed and the StageChange row was saved.
# Arguments: service_user, stage_change (the new row), from_stage, to_stage, by (the user).
stage_changed = Signal()
