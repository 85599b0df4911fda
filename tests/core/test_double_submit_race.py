"""Ten copies of one create form sent at the same moment make one record, and
every copy is answered with that record, never a server error (PostgreSQL:
SQLite would serialise the requests and prove nothing)."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goals.models import Review
from networks.models import NetworkMember
from tests.goals.factories import GoalFactory

COPIES = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
    ),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post_at_once(user, url, data):
    """POST ``data`` to ``url`` from COPIES threads at once, each its own signed-in
    client; returns the responses and any exception a request raised."""
    clients = []
    for _ in range(COPIES):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(COPIES)
    responses, errors = [], []

    def send(client):
        try:
            start.wait()
            responses.append(client.post(url, data))
        except Exception as exc:  # noqa: BLE001 - a 500 surfaces here; it is what we count
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses, errors


def test_ten_parallel_add_member_posts_make_one_member(owner, person):
    token = uuid.uuid4()
    data = {
        "label": "Cal",
        "kind": "person",
        "sector": "friends",
        "ring": "2",
        "frequency": "weekly",
        "support": ["companionship"],
        "direction": "both_ways",
        "quality": "positive",
        "added_on": timezone.localdate().isoformat(),
        "submission_token": str(token),
    }
    url = reverse("networks:member_add", args=[person.public_id])
    responses, errors = post_at_once(owner, url, data)
    assert errors == []
    assert [r.status_code for r in responses] == [302] * COPIES
    map_url = reverse("networks:map", args=[person.public_id])
    assert {r["Location"] for r in responses} == {map_url}
    member = NetworkMember.objects.get(service_user=person)
    assert (member.label, member.submission_token) == ("Cal", token)


def test_ten_parallel_goal_review_posts_make_one_review(owner, person):
    goals = [GoalFactory(service_user=person) for _ in range(2)]
    data = {
        "reviewed_on": timezone.localdate().isoformat(),
        "note": "",
        "submission_token": str(uuid.uuid4()),
        **{f"level_{goal.public_id}": "1" for goal in goals},
    }
    url = reverse("goals:review_create", args=[person.public_id])
    responses, errors = post_at_once(owner, url, data)
    assert errors == []
    assert [r.status_code for r in responses] == [302] * COPIES
    review = Review.objects.get(service_user=person)
    assert {r["Location"] for r in responses} == {review.get_absolute_url()}
    assert review.ratings.count() == 2
