"""Demo teams and one account per persona. Fictional; demo passwords only."""

from .models import Team, TeamMembership, User, curators_group

DEMO_PASSWORD = "connect-demo-2026"  # noqa: S105 - demo only, listed in the README

TEAMS = [
    ("North Community Team", "Community mental health team covering the north of the borough."),
    ("South Community Team", "Community mental health team covering the south of the borough."),
]

# username, first name, last name, team index, role, curator, staff
USERS = [
    ("worker.amira", "Amira", "Hassan", 0, TeamMembership.Role.WORKER, False, False),
    ("worker.ben", "Ben", "Okafor", 0, TeamMembership.Role.WORKER, False, False),
    ("worker.chloe", "Chloe", "Price", 1, TeamMembership.Role.WORKER, False, False),
    ("supervisor.dev", "Dev", "Sharma", 0, TeamMembership.Role.SUPERVISOR, False, False),
    ("curator.erin", "Erin", "Walsh", None, None, True, False),
    ("admin.frank", "Frank", "Mensah", None, None, False, True),
]


def seed(*, stdout, **options):
    """Create or refresh the demo teams and persona accounts (safe to repeat)."""
    teams = []
    for name, description in TEAMS:
        team, _ = Team.objects.update_or_create(name=name, defaults={"description": description})
        teams.append(team)
    curators = curators_group()
    for username, first, last, team_index, role, curator, staff in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if team_index is not None:
            TeamMembership.objects.get_or_create(user=user, team=teams[team_index], role=role)
        if curator:
            user.groups.add(curators)
    stdout.write(f"Accounts: {len(TEAMS)} teams, {len(USERS)} demo users.")
