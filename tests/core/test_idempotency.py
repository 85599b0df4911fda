"""create_once: a create form sent twice (or ten times at once) makes one record."""

import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from core import idempotency
from core.idempotency import create_once, created_before
from networks.models import NetworkMember
from tests.caseload.factories import ServiceUserFactory
from tests.networks.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db


def _build(person):
    def build(token):
        member = NetworkMember(
            service_user=person,
            label="Sam",
            kind="person",
            sector="friends",
            ring=2,
            frequency="weekly",
            direction="both_ways",
            quality="positive",
            submission_token=token,
        )
        member.full_clean()
        member.save()
        return member

    return build


def _mine(person):
    return lambda record: record.service_user_id == person.pk


def test_the_same_token_twice_returns_the_first_record(person):
    token = uuid.uuid4()
    first, created = create_once(
        NetworkMember, submission_token=token, build=_build(person), belongs=_mine(person)
    )
    again, created_again = create_once(
        NetworkMember, submission_token=token, build=_build(person), belongs=_mine(person)
    )
    assert (created, created_again) == (True, False)
    assert again == first and NetworkMember.objects.count() == 1


def test_another_records_token_is_ignored_and_a_new_record_saved(person, team_a, owner):
    theirs = NetworkMemberFactory(
        service_user=ServiceUserFactory(team=team_a, allocated_worker=owner)
    )
    token = uuid.uuid4()
    NetworkMember.objects.filter(pk=theirs.pk).update(submission_token=token)
    assert created_before(NetworkMember, submission_token=token, belongs=_mine(person)) is None
    mine, created = create_once(
        NetworkMember, submission_token=token, build=_build(person), belongs=_mine(person)
    )
    assert created and mine != theirs and mine.service_user == person
    assert mine.submission_token is None


def test_losing_the_race_in_full_clean_returns_the_winner(person):
    """The winner commits between this submission's token lookup and its
    full_clean(), which then refuses the token as not unique: that is "already
    created", not a 500."""
    token = uuid.uuid4()
    winner, _ = create_once(
        NetworkMember, submission_token=token, build=_build(person), belongs=_mine(person)
    )
    real_lookup = idempotency._record_for
    calls = []

    def lookup(model, submission_token):
        calls.append(submission_token)
        return None if len(calls) == 1 else real_lookup(model, submission_token)

    with mock.patch.object(idempotency, "_record_for", side_effect=lookup):
        record, created = create_once(
            NetworkMember, submission_token=token, build=_build(person), belongs=_mine(person)
        )
    assert (record, created) == (winner, False)
    assert len(calls) == 2
    assert NetworkMember.objects.count() == 1


def test_other_validation_errors_are_raised(person):
    def build(token):
        raise ValidationError("The date added cannot be in the future.")

    with pytest.raises(ValidationError):
        create_once(NetworkMember, submission_token=uuid.uuid4(), build=build)
    assert not NetworkMember.objects.exists()


def test_without_a_token_every_submission_creates(person):
    for _ in range(2):
        create_once(NetworkMember, submission_token=None, build=_build(person))
    assert NetworkMember.objects.count() == 2
