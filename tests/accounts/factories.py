import factory

from accounts.demo import give_totp
from accounts.models import Agency, Team, TeamMembership, User, curators_group

TEST_PASSWORD = "a-long-test-password-42"
# Supervisors, curators and admins must use a second factor (CP_MFA_REQUIRED's
# default), so their factories give them an authenticator app with this key;
# tests compute its codes with pyotp (see totp_code).
TEST_TOTP_SECRET = "TESTKEYFORCONNECTINGPEOPLEAAAAAA"  # noqa: S105 - tests only


def totp_code(secret=TEST_TOTP_SECRET, *, offset=0):
    """The code an authenticator app with ``secret`` shows now (``offset`` steps away)."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + offset * 30)


def wrong_code(secret=TEST_TOTP_SECRET):
    """A 6-digit code that no step the server accepts now would show."""
    accepted = {totp_code(secret, offset=step) for step in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Agency.Sector.NHS_MENTAL_HEALTH
    area = "Northfield"


class TeamFactory(factory.django.DjangoModelFactory):
    """A team in its own new agency unless ``agency`` is given, so two factory
    teams are in different agencies (a reader of one sees nothing of the other)."""

    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    agency = factory.SubFactory(AgencyFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_worker(team, **kwargs):
    user = UserFactory(**kwargs)
    TeamMembership.objects.create(user=user, team=team, role=TeamMembership.Role.WORKER)
    return user


def make_supervisor(team, *, totp=True, **kwargs):
    user = UserFactory(**kwargs)
    TeamMembership.objects.create(user=user, team=team, role=TeamMembership.Role.SUPERVISOR)
    if totp:
        give_totp(user, TEST_TOTP_SECRET)
    return user


def make_curator(*, totp=True, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(curators_group())
    if totp:
        give_totp(user, TEST_TOTP_SECRET)
    return user


def make_admin(*, totp=True, **kwargs):
    user = UserFactory(is_staff=True, is_superuser=True, **kwargs)
    if totp:
        give_totp(user, TEST_TOTP_SECRET)
    return user
