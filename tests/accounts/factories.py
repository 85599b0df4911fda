import factory

from accounts.models import Agency, Team, TeamMembership, User, curators_group

TEST_PASSWORD = "a-long-test-password-42"


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


def make_supervisor(team, **kwargs):
    user = UserFactory(**kwargs)
    TeamMembership.objects.create(user=user, team=team, role=TeamMembership.Role.SUPERVISOR)
    return user


def make_curator(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(curators_group())
    return user


def make_admin(**kwargs):
    return UserFactory(is_staff=True, is_superuser=True, **kwargs)
