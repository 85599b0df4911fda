import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from toolkit.models import Resource


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def published_resource(db):
    return Resource.objects.create(title="Community mapping worksheet", status="published")


@pytest.fixture
def draft_resource(db):
    return Resource.objects.create(title="Unfinished guide", status="draft")


def person_url(name, person, **kwargs):
    return reverse(f"caseload:{name}", kwargs={"public_id": person.public_id, **kwargs})


def session_url(name, session):
    return reverse(
        f"caseload:{name}",
        kwargs={"public_id": session.service_user.public_id, "session_id": session.public_id},
    )


def session_data(**overrides):
    today = timezone.localdate()
    data = {
        "date": (today - datetime.timedelta(days=1)).isoformat(),
        "start_time": "10:30",
        "duration_minutes": "60",
        "kind": "face_to_face",
        "stage": "getting_started",
        "what_we_did": "Walked to the library and looked at the notice board together.",
        "how_it_went": "Said it felt good to get out of the house.",
        "next_steps": "Find out about the Thursday knitting group.",
        "next_session_on": (today + datetime.timedelta(days=6)).isoformat(),
    }
    data.update(overrides)
    return data


def details_data(person, **overrides):
    data = {
        "version": str(person.version),
        "preferred_name": person.preferred_name,
        "full_name": person.full_name,
        "pronouns": person.pronouns,
        "reference": person.reference or "",
        "date_of_birth": "",
        "phone": "",
        "email": "",
        "postcode": "",
        "referral_date": person.referral_date.isoformat(),
        "referral_source": person.referral_source,
        "referral_reason": person.referral_reason,
        "status": person.status,
    }
    data.update(overrides)
    return data
