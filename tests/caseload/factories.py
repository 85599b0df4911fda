import datetime

import factory
from django.utils import timezone

from caseload.models import AuditEvent, ServiceUser, Session, SessionKind
from caseload.stages import Stage


class ServiceUserFactory(factory.django.DjangoModelFactory):
    """A person in ``team`` allocated to ``allocated_worker`` (pass both)."""

    class Meta:
        model = ServiceUser
        skip_postgeneration_save = True

    preferred_name = factory.Faker("first_name")
    full_name = factory.LazyAttribute(lambda o: f"{o.preferred_name} Example")
    referral_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    referral_source = "GP"
    status = "active"
    stage = Stage.GETTING_STARTED

    @factory.post_generation
    def co_workers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_workers.add(*extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    duration_minutes = 60
    kind = SessionKind.FACE_TO_FACE
    stage = factory.LazyAttribute(lambda o: o.service_user.stage)
    what_we_did = "Talked about the week and looked at the local walking group."
    author = factory.LazyAttribute(lambda o: o.service_user.allocated_worker)


def make_audit_views(person, actor, count, *, days_ago):
    """``count`` "viewed" events in ``person``'s access log by ``actor``, one a
    minute from ``days_ago`` days back, at the paths /entry-0/, /entry-1/, …"""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            service_user=person,
            actor=actor,
            action="view",
            object_type="serviceuser",
            at=start + datetime.timedelta(minutes=index),
            path=f"/entry-{index}/",
        )
        for index in range(count)
    )
