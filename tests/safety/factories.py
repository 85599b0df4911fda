import datetime

import factory
from django.utils import timezone

from safety.models import AlertCategory, LoneWorkingCheckIn, RiskAlert


class RiskAlertFactory(factory.django.DjangoModelFactory):
    """An active alert about ``service_user`` (pass it)."""

    class Meta:
        model = RiskAlert

    category = AlertCategory.ENVIRONMENT
    situation = "A large dog at the address."
    what_to_do = "Ring ahead so the dog can be put in another room."
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    recorded_by = factory.LazyAttribute(lambda o: o.service_user.allocated_worker)


class CheckInFactory(factory.django.DjangoModelFactory):
    """An open check-in of ``worker`` in ``team`` (pass both)."""

    class Meta:
        model = LoneWorkingCheckIn

    where = "Oak Road library"
    with_whom = "P."
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))
    expected_back_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
