"""Telling supervisors about overdue lone-working check-ins by email, once each.

``check_lone_working`` (cron, every 5 minutes) calls :func:`notify_overdue`.
Each overdue check-in is claimed with a conditional UPDATE (``notified_at`` is
set only where it is still empty), so two copies of the command running at the
same moment send each email once: only the copy whose UPDATE changed the row
sends it.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.selectors import team_supervisors

from .models import LoneWorkingCheckIn
from .selectors import overdue_check_ins, teams_using_check_ins

logger = logging.getLogger(__name__)


def _claim(check_in, now):
    return bool(
        LoneWorkingCheckIn.objects.filter(pk=check_in.pk, notified_at__isnull=True).update(
            notified_at=now
        )
    )


def notify_overdue(*, now=None, base_url=""):
    """Email the team's supervisors about each check-in that became overdue and
    was not emailed about yet. Returns ``(sent, no_supervisor_email)``."""
    now = now or timezone.now()
    team_ids = teams_using_check_ins(
        LoneWorkingCheckIn.objects.filter(closed_at__isnull=True, notified_at__isnull=True)
        .values_list("team_id", flat=True)
        .distinct()
    )
    due = list(overdue_check_ins(team_ids=team_ids, now=now).filter(notified_at__isnull=True))
    supervisors = team_supervisors({check_in.team_id for check_in in due})
    sent = unreachable = 0
    for check_in in due:
        emails = [user.email for user in supervisors.get(check_in.team_id, []) if user.email]
        if not emails:
            unreachable += 1
            logger.warning("Overdue check-in %s: no supervisor with an email", check_in.public_id)
            continue
        if not _claim(check_in, now):
            continue  # another copy of the command sent it
        body = render_to_string(
            "safety/overdue_email.txt", {"check_in": check_in, "base_url": base_url}
        )
        try:
            send_mail(
                f"Lone working: {check_in.worker} is not back",
                body,
                settings.DEFAULT_FROM_EMAIL,
                emails,
            )
        except Exception:
            # Not sent: let the next run try again.
            LoneWorkingCheckIn.objects.filter(pk=check_in.pk).update(notified_at=None)
            raise
        sent += 1
    return sent, unreachable
