import pytest

from caseload.stages import Stage
from toolkit.models import STAGE_CHOICES, PracticeArea
from toolkit.selectors import resources_for_stage

from .factories import ResourceFactory


def test_stage_codes_match_the_caseload_stages():
    assert [(stage.value, stage.label) for stage in Stage] == STAGE_CHOICES


def test_the_twelve_practice_areas_are_seeded_and_reseeding_changes_nothing(db):
    from toolkit.practice_areas import ensure_practice_areas

    PracticeArea.objects.all().delete()
    ensure_practice_areas(PracticeArea)
    ensure_practice_areas(PracticeArea)
    areas = list(PracticeArea.objects.order_by("number"))
    assert [a.number for a in areas] == list(range(1, 13))
    assert areas[0].question == "How should I view the person that I am working with?"
    assert [a.number for a in areas if a.for_agency] == [10, 11, 12]


def test_resources_for_stage_returns_published_resources_with_that_stage(db):
    wanted = ResourceFactory(title="A plan guide", stages=["plan"])
    ResourceFactory(title="Draft plan", stages=["plan"], status="draft")
    ResourceFactory(title="Assess guide", stages=["assess"])
    for n in range(6):
        ResourceFactory(title=f"Plan {n}", stages=["plan"])
    found = resources_for_stage("plan")
    assert len(found) == 5
    assert wanted in found
    assert all(r.status == "published" for r in found)
    assert resources_for_stage("plan", limit=2) == found[:2]
    assert resources_for_stage("review") == []


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"freq": "WEEKLY", "byday": "TU,FR", "opens_at": "10:00", "closes_at": "11:30"},
         "Every Tuesday and Friday, 10am to 11:30am"),
        ({"freq": "WEEKLY", "interval": 2, "byday": "MO", "opens_at": "12:00"},
         "Every other Monday, from midday"),
        ({"freq": "MONTHLY", "byday": "1SA", "opens_at": "14:00", "closes_at": "16:00"},
         "The first Saturday of each month, 2pm to 4pm"),
        ({"freq": "MONTHLY", "byday": "-1TH"}, "The last Thursday of each month"),
        ({"freq": "MONTHLY", "bymonthday": "1,15"}, "On the 1st and 15th of each month"),
        ({"byday": "MO,TU,WE,TH,FR,SA,SU", "closes_at": "17:00"}, "Every day, until 5pm"),
        ({"description": "By arrangement"}, "By arrangement"),
        ({}, "Times not given"),
    ],
)  # fmt: skip
def test_schedules_are_read_out_in_words(values, words):
    import datetime

    from toolkit.models import Schedule

    for key in ("opens_at", "closes_at"):
        if key in values:
            values[key] = datetime.time.fromisoformat(values[key])
    assert Schedule(**values).summary == words
