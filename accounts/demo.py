"""Demo agencies, teams and one account per persona. Fictional; demo passwords only."""

from .models import Agency, Team, TeamMembership, User, curators_group

DEMO_PASSWORD = "connect-demo-2026"  # noqa: S105 - demo only, listed in the README
# The demo supervisor, curator and administrator must use a second factor
# (CP_MFA_REQUIRED); they share this authenticator key (base32), printed in the
# README so anyone can sign in with an authenticator app or
# `oathtool --totp -b KEY`. Demo only: real accounts each set up their own.
DEMO_TOTP_KEY = "CPDEMOKEYDEMOONLYCONNECTINGPEOPL"  # noqa: S105 - demo only
DEMO_TOTP_USERS = {"supervisor.dev", "curator.erin", "admin.frank"}

# One statutory and one third-sector agency, so reports can compare the two (DESIGN §2).
AGENCIES = [
    ("Northfield and Eastgate NHS Foundation Trust", Agency.Sector.NHS_MENTAL_HEALTH, "Northfield"),
    ("Riverside Community Trust", Agency.Sector.VOLUNTARY, "Northfield"),
]

# name, description, agency index
TEAMS = [
    (
        "North Community Team",
        "Community mental health team covering the north of the borough.",
        0,
    ),
    (
        "South Community Team",
        "The charity's community support team, covering the south of the borough.",
        1,
    ),
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
    """Create or refresh the demo agencies, teams and persona accounts (safe to repeat)."""
    agencies = [
        Agency.objects.update_or_create(name=name, defaults={"sector": sector, "area": area})[0]
        for name, sector, area in AGENCIES
    ]
    teams = []
    for name, description, agency_index in TEAMS:
        team, _ = Team.objects.update_or_create(
            name=name,
            defaults={"description": description, "agency": agencies[agency_index]},
        )
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
        if username in DEMO_TOTP_USERS:
            give_totp(user, DEMO_TOTP_KEY)
    stdout.write(
        f"Accounts: {len(AGENCIES)} agencies, {len(TEAMS)} teams, {len(USERS)} demo users."
    )


def give_totp(user, key):
    """Give ``user`` an authenticator-app factor with this base32 key (replacing
    any they had)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, key)
