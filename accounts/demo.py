"""Demo teams and one account per persona. Fictional; demo passwords only."""

from .models import Team, TeamMembership, User, curators_group

DEMO_PASSWORD = "connect-demo-2026"  # noqa: S105 - demo only, listed in the README
# The demo supervisor, curator and administrator must use a second factor
# (CP_MFA_REQUIRED); they share this authenticator key (base32), printed in the
# README so anyone can sign in with an authenticator app or
# `oathtool --totp -b KEY`. Demo only: real accounts each set up their own.
DEMO_TOTP_KEY = "CPDEMOKEYDEMOONLYCONNECTINGPEOPL"  # noqa: S105 - demo only
DEMO_TOTP_USERS = {"supervisor.dev", "curator.erin", "admin.frank"}

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
        if username in DEMO_TOTP_USERS:
            give_totp(user, DEMO_TOTP_KEY)
    stdout.write(f"Accounts: {len(TEAMS)} teams, {len(USERS)} demo users.")


def give_totp(user, key):
    """Give ``user`` an authenticator-app factor with this base32 key (replacing
    any they had)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, key)
