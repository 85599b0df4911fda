import datetime

import factory
from django.utils import timezone

from goals.models import Domain, Goal, Rating, Review, Step, StepWho


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal for ``service_user`` (pass it), agreed 30 days ago."""

    class Meta:
        model = Goal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"I want to get out of the house more ({n})")
    domain = Domain.MEETING_PEOPLE
    set_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    level_minus_2 = "Not leaving the house at all"
    level_minus_1 = "Out once a week with my worker"
    level_0 = "Out on my own twice a week"
    level_plus_1 = "Out three times a week, once to a group"
    level_plus_2 = "Going to a group every week on my own"
    created_by = factory.LazyAttribute(lambda o: o.service_user.allocated_worker)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    what = factory.Sequence(lambda n: f"Look up the walking group times ({n})")
    who = StepWho.PERSON
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


def make_review(service_user, levels, *, days_ago=0, by=None):
    """A review of ``service_user`` rating goals: ``levels`` is {goal: level}."""
    from goals import gas

    review = Review.objects.create(
        service_user=service_user,
        reviewed_by=by or service_user.allocated_worker,
        reviewed_at=timezone.now() - datetime.timedelta(days=days_ago),
        t_score=gas.t_score(list(levels.values()), [g.weight for g in levels]),
    )
    Rating.objects.bulk_create(
        Rating(review=review, goal=goal, level=level, weight=goal.weight)
        for goal, level in levels.items()
    )
    return review
