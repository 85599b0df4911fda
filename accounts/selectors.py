"""Reads for the account pages, and of users, teams and memberships for the
other apps (the workflow's dashboard and reminders), so they need not know
these models."""

from django.core.exceptions import ValidationError

from .models import Team, TeamMembership, User


def supervised_teams(user):
    """The teams ``user`` supervises, by name."""
    return Team.objects.filter(id__in=user.supervised_team_ids).order_by("name")


def supervised_team(user, team_public_id):
    """The team with ``team_public_id`` if ``user`` supervises it, else None
    (also for a malformed id)."""
    try:
        return supervised_teams(user).get(public_id=team_public_id)
    except (Team.DoesNotExist, ValueError, ValidationError):
        return None


def team_workers(team):
    """The workers of ``team`` (users), by name."""
    return User.objects.filter(
        memberships__team=team, memberships__role=TeamMembership.Role.WORKER
    ).order_by("first_name", "last_name", "id")


def team_worker(team, worker_public_id):
    """The worker of ``team`` with ``worker_public_id``, else None (also for a
    malformed id or a worker of another team)."""
    try:
        return team_workers(team).get(public_id=worker_public_id)
    except (User.DoesNotExist, ValueError, ValidationError):
        return None


def active_workers():
    """Active users who are a worker in at least one team, by id."""
    return (
        User.objects.filter(is_active=True, memberships__role=TeamMembership.Role.WORKER)
        .distinct()
        .order_by("pk")
    )


BROWSERS = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_browser(user_agent):
    """A short "Chrome on Windows" from a browser's User-Agent string."""
    user_agent = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in user_agent), None)
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def team_supervisors(team_ids):
    """``{team_id: [active supervisors]}`` for the given teams (one query)."""
    found = {team_id: [] for team_id in team_ids}
    rows = (
        TeamMembership.objects.filter(
            team_id__in=team_ids, role=TeamMembership.Role.SUPERVISOR, user__is_active=True
        )
        .select_related("user")
        .order_by("user__first_name", "user__id")
    )
    for membership in rows:
        found[membership.team_id].append(membership.user)
    return found
