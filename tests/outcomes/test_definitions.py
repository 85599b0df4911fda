"""Definition files are checked against the schema and the checks after it,
refused as a whole, saying where."""

import copy
import json

import pytest

from outcomes.definitions import DefinitionError, build, read_json, shipped, shipped_paths
from tests.outcomes.factories import FICTIONAL, fictional


def problems(data):
    with pytest.raises(DefinitionError) as caught:
        build(data)
    return caught.value.problems


def test_the_shipped_instruments_pass_the_schema():
    codes = {path.stem for path in shipped_paths()}
    assert codes == {"ons4", "ucla3"}
    for code in codes:
        assert shipped(code).code == code


def test_ons4_items_are_reported_separately_and_ucla_is_summed():
    assert shipped("ons4").reports_items_separately and shipped("ons4").total is None
    assert [spec.key for spec in shipped("ons4").headline] == [
        "life_satisfaction",
        "worthwhile",
        "happiness",
        "anxiety",
    ]
    assert shipped("ucla3").rule == "sum"


def test_a_missing_required_field_is_named():
    data = fictional()
    del data["items"][2]["id"]
    assert ("items[2]", "'id' is a required property") in problems(data)


def test_a_wrong_type_says_where():
    data = fictional()
    data["items"][0]["options"] = [{"value": "one", "label": "One"}, {"value": 2, "label": "Two"}]
    del data["items"][0]["response_set"]
    found = problems(data)
    assert any(where == "items[0].options[0].value" for where, _ in found), found


def test_an_unknown_field_is_refused():
    data = fictional(colour="blue")
    assert any("unknown field" in message for _where, message in problems(data))


def test_an_item_with_both_options_and_a_response_set_is_refused():
    data = fictional()
    data["items"][1]["options"] = [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}]
    assert any(where == "items[1]" for where, _ in problems(data))


def test_duplicate_item_ids_are_refused_naming_both():
    data = fictional()
    data["items"][3]["id"] = "q1"
    assert ("items[3].id", "duplicate item id 'q1' (also items[0])") in problems(data)


def test_an_item_naming_an_unknown_subscale_is_refused():
    data = fictional()
    data["items"][4]["subscales"] = ["sleep"]
    assert ("items[4].subscales", "refers to an unknown subscale 'sleep'") in problems(data)


def test_an_unknown_response_set_and_duplicate_option_values_are_refused():
    data = fictional()
    data["items"][0]["response_set"] = "agreement"
    data["items"][1] = {
        "id": "q2",
        "options": [{"value": 1, "label": "A"}, {"value": 1, "label": "B"}],
    }
    found = problems(data)
    assert ("items[0].response_set", "unknown response set 'agreement'") in found
    assert ("items[1]", "two response options have the same value") in found


def test_overlapping_bands_are_refused():
    data = fictional()
    data["scoring"]["total"]["bands"][1]["min"] = 5
    assert any(where == "scoring.total.bands[1]" for where, _ in problems(data))


def test_a_lookup_table_must_cover_every_raw_total():
    data = fictional()
    data["scoring"]["lookup"] = {str(raw): raw for raw in range(15)}  # 15 is missing
    assert ("scoring.lookup", "no metric score for raw total 15") in problems(data)


def test_items_reported_separately_can_have_no_total():
    ons4 = copy.deepcopy(shipped("ons4").data)
    ons4["scoring"]["total"] = {"higher_is_better": True}
    found = problems(ons4)
    assert any(where == "scoring.total" and "never added up" in msg for where, msg in found)


def test_a_summed_instrument_must_say_which_way_is_better():
    data = fictional()
    del data["scoring"]["total"]
    assert any("higher_is_better" in message for _where, message in problems(data))


def test_min_answered_above_the_number_of_items_is_refused():
    data = fictional()
    data["scoring"]["min_answered"] = 9
    assert ("scoring.min_answered", "9 is more than the 5 items") in problems(data)


def test_reliability_of_one_and_a_negative_sd_are_refused():
    data = fictional()
    data["scoring"]["total"].update(sd=-1, reliability=1)
    wheres = {where for where, _ in problems(data)}
    assert {"scoring.total.sd", "scoring.total.reliability"} <= wheres


def test_broken_json_says_which_line():
    text = json.dumps(FICTIONAL, indent=2).replace('"q3"', "'q3'", 1)
    with pytest.raises(DefinitionError) as caught:
        read_json(text, source="broken.json")
    where, message = caught.value.problems[0]
    assert where.startswith("line ") and "not valid JSON" in message
    assert str(caught.value).startswith("broken.json: line ")
