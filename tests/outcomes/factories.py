"""Fictional instruments (never a real licensed one) and results for tests."""

import copy
import datetime

from django.utils import timezone

from outcomes.models import Instrument, Timepoint
from outcomes.services import instrument_load, result_create

FREQUENCY = [
    {"value": 0, "label": "Never"},
    {"value": 1, "label": "Sometimes"},
    {"value": 2, "label": "Often"},
    {"value": 3, "label": "Always"},
]

# A fictional licensed instrument: five items 0–3 (two reverse-scored), two
# subscales, summed, prorated from four answers, with bands, SD and reliability.
FICTIONAL = {
    "format": "connecting-people-instrument/1",
    "code": "fictional-five",
    "name": "Fictional Five Wellbeing Scale",
    "short_name": "FFWS",
    "about": "A made-up instrument for tests.",
    "recall_period": "the last two weeks",
    "follow_up_months": 6,
    "licence": {
        "name": "Fictional Licence v1 (for tests)",
        "holder": "Northfield Trust, licence T-123",
        "item_text_may_be_shown": False,
    },
    "response_sets": {"frequency": FREQUENCY},
    "subscales": [
        {"id": "mood", "label": "Mood"},
        {"id": "social", "label": "Social", "min_answered": 1},
    ],
    "items": [
        {"id": "q1", "text": "Secret item one", "response_set": "frequency", "subscales": ["mood"]},
        {"id": "q2", "text": "Secret item two", "response_set": "frequency", "subscales": ["mood"]},
        {
            "id": "q3",
            "text": "Secret item three",
            "response_set": "frequency",
            "reverse": True,
            "subscales": ["social"],
        },
        {
            "id": "q4",
            "text": "Secret item four",
            "response_set": "frequency",
            "subscales": ["social"],
        },
        {"id": "q5", "text": "Secret item five", "response_set": "frequency", "reverse": True},
    ],
    "scoring": {
        "rule": "sum",
        "min_answered": 4,
        "prorate": True,
        "total": {
            "label": "Wellbeing",
            "higher_is_better": True,
            "sd": 3.0,
            "reliability": 0.8,
            "bands": [
                {"label": "Low", "min": 0, "max": 5},
                {"label": "Middle", "min": 6, "max": 10},
                {"label": "High", "min": 11, "max": 15},
            ],
        },
    },
}


def fictional(**changes):
    """A copy of :data:`FICTIONAL` with top-level ``changes``."""
    data = copy.deepcopy(FICTIONAL)
    data.update(changes)
    return data


def load(data=None, **kwargs):
    instrument, _version, _status = instrument_load(data=data or fictional(), **kwargs)
    return instrument


def instrument(code):
    return Instrument.objects.select_related("current_version").get(code=code)


def make_result(person, code, answers, *, timepoint=Timepoint.FOLLOW_UP, days_ago=0, by=None):
    """A result for ``person`` on the instrument with ``code`` (loaded), saved
    through the service as the form would."""
    result, _created = result_create(
        service_user=person,
        instrument=instrument(code),
        by=by or person.allocated_worker,
        values={
            "completed_on": timezone.localdate() - datetime.timedelta(days=days_ago),
            "timepoint": timepoint,
            "completed_how": "with_worker",
        },
        answers=answers,
    )
    return result


def ucla(companionship, left_out, isolated):
    return {"companionship": companionship, "left_out": left_out, "isolated": isolated}
