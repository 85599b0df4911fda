"""Reads for alerts and check-ins, each in one query, within the access rules."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from caseload.access import fetched_for, visible_service_users
from caseload.models import Status

from .models import OVERDUE_AFTER_MINUTES, LoneWorkingCheckIn, RiskAlert, TeamSafetySettings


def alerts_for(service_user):
    """All of a person's alerts, active first, newest first."""
    return (
        RiskAlert.objects.filter(service_user=service_user)
        .select_related("recorded_by", "ended_by")
        .order_by("ended_at", "-recorded_at", "-id")
    )


def alert_for(service_user, public_id):
    """One alert of a person already fetched through the access rules, or None."""
    try:
        return (
            RiskAlert.objects.select_related("recorded_by", "ended_by", "service_user")
            .filter(service_user=service_user)
            .get(public_id=public_id)
        )
    except (RiskAlert.DoesNotExist, ValueError):
        return None


def active_alerts_for_banner(user, service_user):
    """The person's active alerts, for the banner on their pages: one query, and
    only when ``user`` may see the person (the guard is a subquery, unless the
    person was fetched for ``user`` through the access rules already)."""
    alerts = RiskAlert.objects.active().filter(service_user=service_user)
    if not fetched_for(user, service_user):
        alerts = alerts.filter(service_user__in=visible_service_users(user))
    return list(alerts.order_by("review_on", "id"))


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.filter(service_user=OuterRef("pk"))
            .order_by()
            .values("service_user")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def with_alert_flags(people, *, today=None):
    """Annotate a ServiceUser queryset with ``active_alerts`` and
    ``alerts_review_due`` (active alerts past their review date), in the same
    query: the board and "my week" show a marker without a query per person."""
    today = today or timezone.localdate()
    active = RiskAlert.objects.active()
    return people.annotate(
        active_alerts=_count(active),
        alerts_review_due=_count(active.filter(review_on__lt=today)),
    )


def alerts_past_review(user, *, today=None):
    """Active alerts past their review date about people ``user`` works with or
    supervises: the flag to the worker and the supervisor (one query)."""
    today = today or timezone.localdate()
    people = visible_service_users(user)
    return (
        RiskAlert.objects.active()
        .filter(review_on__lt=today, service_user__in=people)
        .select_related("service_user", "service_user__allocated_worker")
        .order_by("review_on", "id")
    )


def overdue_cutoff(now=None):
    return (now or timezone.now()) - datetime.timedelta(minutes=OVERDUE_AFTER_MINUTES)


def overdue_check_ins(*, team_ids, now=None):
    """Open check-ins more than 30 minutes past their expected return, in teams
    using check-ins, with the worker (and their phone): one query."""
    if not team_ids:
        return LoneWorkingCheckIn.objects.none()
    return (
        LoneWorkingCheckIn.objects.filter(
            team_id__in=team_ids,
            closed_at__isnull=True,
            expected_back_at__lte=overdue_cutoff(now),
            team__safety_settings__check_ins_enabled=True,
        )
        .select_related("worker", "team")
        .order_by("expected_back_at", "id")
    )


def overdue_for_supervisor(user, *, now=None):
    """What the supervisors' banner and dashboard show (one query; none for
    anyone who supervises no team)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return list(overdue_check_ins(team_ids=user.supervised_team_ids, now=now))


def open_check_ins_of(worker):
    return (
        LoneWorkingCheckIn.objects.filter(worker=worker, closed_at__isnull=True)
        .select_related("service_user", "team")
        .order_by("expected_back_at")
    )


def recent_check_ins_of(worker, limit=10):
    return (
        LoneWorkingCheckIn.objects.filter(worker=worker, closed_at__isnull=False)
        .select_related("service_user")
        .order_by("-started_at")[:limit]
    )


def check_in_of(worker, public_id):
    try:
        return LoneWorkingCheckIn.objects.get(worker=worker, public_id=public_id)
    except (LoneWorkingCheckIn.DoesNotExist, ValueError):
        return None


def teams_using_check_ins(team_ids):
    """The ids among ``team_ids`` whose check-ins are switched on."""
    return set(
        TeamSafetySettings.objects.filter(team_id__in=team_ids, check_ins_enabled=True).values_list(
            "team_id", flat=True
        )
    )


def check_in_people(worker):
    """Whom a worker may name on a check-in: their open caseload."""
    return visible_service_users(worker).exclude(status=Status.CLOSED).order_by("preferred_name")


def team_settings_for(teams):
    """``{team_id: enabled}`` for the given teams (one query)."""
    enabled = teams_using_check_ins([team.pk for team in teams])
    return [(team, team.pk in enabled) for team in teams]
