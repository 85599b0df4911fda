import datetime

import factory
from django.utils import timezone

from networks.models import NetworkMember, Tie


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    """A member of ``service_user``'s map (pass service_user)."""

    class Meta:
        model = NetworkMember

    label = factory.Sequence(lambda n: f"Member {n}")
    kind = "person"
    sector = "friends"
    ring = 2
    frequency = "weekly"
    support = factory.LazyFunction(lambda: ["companionship"])
    direction = "both_ways"
    quality = "positive"
    added_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


def make_tie(first, second):
    a, b = sorted((first, second), key=lambda m: m.pk)
    return Tie.objects.create(service_user=first.service_user, member_a=a, member_b=b)
