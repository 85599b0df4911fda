"""Reads for the account pages, and of users, teams and memberships for the
other apps (the workflow's dashboard and reminders), so they need not know
these models."""

import uuid

from django.core.exceptions import ValidationError

from .models import Team, TeamMembership, User

# What a user's name is made of (``str(user)``, ``get_full_name``): a list that
# shows who did something needs only these of a user's columns.
NAME_FIELDS = ("first_name", "last_name", "username")


def name_fields(path):
    """``NAME_FIELDS`` of the user at ``path`` (such as ``"author"``), for ``only()``."""
    return [path, *(f"{path}__{name}" for name in NAME_FIELDS)]


def supervised_teams(user):
    """The teams ``user`` supervises, by name."""
    return Team.objects.filter(id__in=user.supervised_team_ids).order_by("name")


def supervised_team(user, team_public_id=None, *, among=None):
    """The team with ``team_public_id`` if ``user`` supervises it, or the first
    (by name) they supervise when none is named; else None (also for a malformed
    id). ``among``: ``user``'s supervised teams when already read (no query then)."""
    teams = list(supervised_teams(user)) if among is None else among
    if not team_public_id:
        return teams[0] if teams else None
    try:
        wanted = uuid.UUID(str(team_public_id))
    except ValueError:
        return None
    return next((team for team in teams if team.public_id == wanted), None)


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


def report_agencies(user):
    """The agencies whose report ``user`` may read, by name: every agency for an
    administrator (staff), the agencies of the teams they supervise for a
    supervisor, none for anyone else."""
    from .models import Agency

    if user.is_staff:
        return Agency.objects.order_by("name", "id")
    return Agency.objects.filter(teams__id__in=user.supervised_team_ids).distinct().order_by("name")


def report_agency(user, agency_public_id):
    """The agency with ``agency_public_id`` if ``user`` may read its report, else
    None (also for a malformed id)."""
    from .models import Agency

    try:
        return report_agencies(user).get(public_id=agency_public_id)
    except (Agency.DoesNotExist, ValueError, ValidationError):
        return None


def agency_teams(agencies):
    """The teams of ``agencies`` (a queryset or list), with their agency, by name."""
    return Team.objects.filter(agency__in=agencies).select_related("agency").order_by("name", "id")


def sector_choices():
    """``[(code, label)]`` of agency sectors, in their order."""
    from .models import Agency

    return list(Agency.Sector.choices)


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


def supervision_pairs():
    """``[(supervisor, team)]`` for every active supervisor and each team they
    supervise, in two queries: whose dashboards there are to count."""
    rows = (
        TeamMembership.objects.filter(role=TeamMembership.Role.SUPERVISOR, user__is_active=True)
        .select_related("user", "team")
        .order_by("team__name", "user_id")
    )
    return [(membership.user, membership.team) for membership in rows]
