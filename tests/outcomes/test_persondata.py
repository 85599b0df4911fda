"""Subject access copy and erasure of a person's results (caseload.persondata, issue 12)."""

import json

from django.db import transaction

from outcomes.models import Result
from outcomes.persondata import erase_people, erase_person, export_person
from tests.outcomes.factories import make_result, ucla


def test_the_copy_holds_each_result_in_plain_words(person, fictional_instrument):
    make_result(person, "ucla3", ucla(3, 2, 1), timepoint="baseline", days_ago=20)
    make_result(person, "fictional-five", {"q1": 3, "q2": 2, "q3": 0, "q4": 1}, days_ago=2)
    exported = export_person(person)
    json.dumps(exported)  # plain JSON-able data
    first, second = exported
    assert first["measure"] == "UCLA 3-item loneliness scale"
    assert first["timepoint"] == "Baseline"
    assert first["answers"]["1. How often do you feel that you lack companionship?"] == "Often"
    assert first["scores"] == {"Loneliness": 6}
    # A licensed instrument's wording is not in the copy either.
    assert "Question 1" in second["answers"] and "Secret item one" not in json.dumps(second)
    assert second["answers"]["Question 5"] is None
    assert second["prorated"] is True and second["bands"] == {"Wellbeing": "High"}
    assert export_person(person, reveal_third_parties=True) == exported


def test_erasure_deletes_every_result_of_the_person_only(person, other_person):
    make_result(person, "ucla3", ucla(3, 2, 1), timepoint="baseline")
    make_result(other_person, "ucla3", ucla(3, 2, 1), timepoint="baseline")
    with transaction.atomic():
        erase_person(person)
    assert not Result.objects.filter(service_user=person).exists()
    assert Result.objects.filter(service_user=other_person).exists()
    with transaction.atomic():
        erase_people([other_person])
    assert not Result.objects.exists()


def test_the_handler_is_registered_with_the_person_data_registry(person):
    from caseload import persondata

    handler = {handler.name: handler for handler in persondata.handlers()}["outcomes"]
    assert Result in handler.models and handler.label == "Outcome measures"
    make_result(person, "ucla3", ucla(3, 2, 1), timepoint="baseline")
    copy = persondata.export_person(person)
    assert copy["outcomes"]["data"][0]["scores"] == {"Loneliness": 6}
    with transaction.atomic():
        persondata.erase_people([person])
    assert not Result.objects.filter(service_user=person).exists()
