"""A person with something in every part of the record, for data-rights tests."""

import datetime

from django.utils import timezone

from caseload import services as caseload_services
from caseload.audit import Action, audit_record
from goals.models import SessionGoal
from networks import services as network_services
from tests.caseload.factories import ServiceUserFactory, SessionFactory
from tests.goals.factories import GoalFactory, StepFactory, make_review
from tests.networks.factories import NetworkMemberFactory, make_tie
from toolkit.models import Resource


def rich_person(team, worker, *, tag, reference=None, co_worker=None):
    """A person whose every string carries ``tag`` so a copy can be searched for it.

    Returns a dict of the objects made, and the strings that must (or, for
    another person, must not) appear in a copy.
    """
    person = ServiceUserFactory(
        team=team,
        allocated_worker=worker,
        preferred_name=f"Pat{tag}",
        full_name=f"Pat{tag} Fullname{tag}",
        reference=reference,
        what_matters=f"Gardening matters {tag}",
        referral_reason=f"Lonely since moving {tag}",
        co_workers=[co_worker] if co_worker else [],
    )
    resource, _ = Resource.objects.get_or_create(title="Mapping worksheet", status="published")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sessions = []
    for number in range(3):
        session = SessionFactory(
            service_user=person,
            author=worker,
            date=yesterday - datetime.timedelta(days=number),
            what_we_did=f"Session note {number} {tag}",
            how_it_went=f"Felt hopeful {number} {tag}",
        )
        session.resources_used.add(resource)
        sessions.append(session)
    ann = NetworkMemberFactory(service_user=person, label=f"Ann{tag}", sector="family")
    bob = NetworkMemberFactory(
        service_user=person, label=f"Bob{tag}", sector="friends", notes=f"Bob note {tag}"
    )
    make_tie(ann, bob)
    baseline = network_services.snapshot_take(
        service_user=person, label=f"Baseline {tag}", by=worker, is_baseline=True
    )
    review_snapshot = network_services.snapshot_take(
        service_user=person, label=f"Review {tag}", by=worker
    )
    goal = GoalFactory(
        service_user=person, title=f"Join a choir {tag}", created_by=worker, why_it_matters=tag
    )
    goal.members.add(bob)
    StepFactory(goal=goal, what=f"Find choir times {tag}", who="other", who_name=f"Jo{tag}")
    SessionGoal.objects.create(session=sessions[0], goal=goal)
    review = make_review(person, {goal: 1})
    review.note = f"Review note {tag}"
    review.save(update_fields=["note"])
    caseload_services.service_user_update(
        service_user=person,
        version=person.version,
        data={"pronouns": "they/them"},
        by=worker,
        changed=["pronouns"],
    )
    for _ in range(2):
        audit_record(actor=worker, action=Action.VIEW, service_user=person)
    return {
        "person": person,
        "sessions": sessions,
        "members": [ann, bob],
        "snapshots": [baseline, review_snapshot],
        "goal": goal,
        "review": review,
        "strings": {
            "sessions": [f"Session note {n} {tag}" for n in range(3)],
            "goals": [f"Join a choir {tag}", f"Find choir times {tag}", f"Review note {tag}"],
            "third_parties": [f"Ann{tag}", f"Bob{tag}", f"Jo{tag}", f"Bob note {tag}"],
            "person": [f"Pat{tag}", f"Fullname{tag}", f"Gardening matters {tag}"],
        },
    }
