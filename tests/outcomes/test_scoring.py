"""The public scoring API: outcomes.scoring.score and reliable_change (pure, no database)."""

import math

import pytest

from outcomes.definitions import build, shipped
from outcomes.scoring import AnswerError, ChangeBand, reliable_change, score
from tests.outcomes.factories import FICTIONAL, fictional, ucla

ALL = {"q1": 3, "q2": 2, "q3": 0, "q4": 1, "q5": 1}


def test_items_are_summed_with_reverse_scored_items_turned_round():
    result = score(FICTIONAL, ALL)
    # q3 and q5 are reverse-scored on 0–3: 0 counts 3 and 1 counts 2.
    assert result.total == 3 + 2 + 3 + 1 + 2 == 11
    assert result.band == "High"
    assert result.subscales == {"mood": 5, "social": 4}
    assert result.complete and not result.prorated and result.missing == ()


def test_a_missing_item_is_prorated_when_the_definition_allows_it():
    result = score(FICTIONAL, {**ALL, "q5": None})
    assert result.total == pytest.approx((3 + 2 + 3 + 1) * 5 / 4)  # 11.25
    assert result.prorated and result.complete
    assert result.band == "High"
    assert result.missing == ("q5",)


def test_too_few_answers_leave_the_result_incomplete_without_a_total():
    result = score(FICTIONAL, {"q1": 3, "q2": 2, "q3": 0})
    assert result.total is None and result.band is None
    assert not result.complete
    # A subscale with its own minimum is still worked out (prorated).
    assert result.subscales == {"mood": 5, "social": 6}


def test_without_prorating_any_missing_item_leaves_the_result_incomplete():
    data = fictional(scoring={**FICTIONAL["scoring"], "prorate": False})
    result = score(data, {**ALL, "q5": None})
    assert result.total is None and not result.complete


def test_mean_rule_averages_the_answers_given():
    data = fictional(
        scoring={
            "rule": "mean",
            "prorate": True,
            "min_answered": 3,
            "total": {
                "higher_is_better": True,
                "bands": [
                    {"label": "Low", "min": 0, "max": 1},
                    {"label": "High", "min": 2, "max": 3},
                ],
            },
        }
    )
    assert score(data, ALL).total == pytest.approx(11 / 5)
    three = score(data, {"q1": 3, "q2": 2, "q3": 2})
    assert three.total == pytest.approx((3 + 2 + 1) / 3) and three.prorated
    # 1.5 lies between the bands: it has not reached "High".
    assert score(data, {"q1": 1, "q2": 2, "q3": 2, "q4": 2, "q5": 2}).band == "Low"


def test_a_lookup_table_turns_the_raw_total_into_the_metric_score():
    lookup = {str(raw): raw * 2 + 10 for raw in range(16)}
    data = fictional(scoring={**FICTIONAL["scoring"], "lookup": lookup})
    data["scoring"]["total"] = {"higher_is_better": True}
    assert score(data, ALL).total == 32
    assert score(data, ALL).raw_total == 11
    # A prorated raw total is rounded half up before the lookup: 11.25 → 11, 8.75 → 9.
    assert score(data, {**ALL, "q5": None}).total == 32
    assert score(data, {"q1": 3, "q2": 2, "q3": 3, "q4": 2}).raw_total == pytest.approx(8.75)
    assert score(data, {"q1": 3, "q2": 2, "q3": 3, "q4": 2}).total == 28


def test_ons4_is_four_scores_and_never_a_total():
    result = score(
        shipped("ons4"),
        {
            "life_satisfaction": 7,
            "worthwhile": 5,
            "happiness": 10,
            "anxiety": 3,
        },
    )
    assert result.total is None
    assert "total" not in result.scores and result.raw_total is None
    assert result.scores == {"life_satisfaction": 7, "worthwhile": 5, "happiness": 10, "anxiety": 3}
    assert result.bands == {
        "life_satisfaction": "High",
        "worthwhile": "Medium",
        "happiness": "Very high",
        "anxiety": "Low",
    }


@pytest.mark.parametrize(
    ("value", "wellbeing_band", "anxiety_band"),
    [
        (0, "Low", "Very low"),
        (1, "Low", "Very low"),
        (2, "Low", "Low"),
        (3, "Low", "Low"),
        (4, "Low", "Medium"),
        (5, "Medium", "Medium"),
        (6, "Medium", "High"),
        (7, "High", "High"),
        (8, "High", "High"),
        (9, "Very high", "High"),
        (10, "Very high", "High"),
    ],
)
def test_ons4_thresholds(value, wellbeing_band, anxiety_band):
    answers = dict.fromkeys(("life_satisfaction", "worthwhile", "happiness", "anxiety"), value)
    bands = score("ons4", answers).bands
    assert bands["life_satisfaction"] == bands["worthwhile"] == bands["happiness"] == wellbeing_band
    assert bands["anxiety"] == anxiety_band


def test_ons4_with_a_question_unanswered_reports_the_other_three():
    result = score("ons4", {"life_satisfaction": 7, "worthwhile": 5, "happiness": 10})
    assert result.scores["anxiety"] is None and result.scores["happiness"] == 10
    assert not result.complete


@pytest.mark.parametrize(
    ("answers", "total"), [((1, 1, 1), 3), ((3, 3, 3), 9), ((1, 2, 3), 6), ((2, 3, 3), 8)]
)
def test_ucla_total_runs_from_3_to_9(answers, total):
    assert score("ucla3", ucla(*answers)).total == total


def test_ucla_is_lonelier_when_higher_and_has_no_rci_without_an_sd():
    definition = shipped("ucla3")
    assert definition.total.higher_is_better is False
    assert (definition.total.minimum, definition.total.maximum) == (3, 9)
    assert not definition.total.has_rci


def test_answers_may_be_given_as_strings_or_in_item_order():
    assert score(FICTIONAL, {k: str(v) for k, v in ALL.items()}).total == 11
    assert score(FICTIONAL, [3, 2, 0, 1, 1]).total == 11
    assert score(FICTIONAL, {"q1": "", "q2": 2, "q3": 0, "q4": 1, "q5": 1}).prorated


@pytest.mark.parametrize(
    "answers",
    [{"q1": 4}, {"q1": -1}, {"q1": "three"}, {"q1": True}, {"q1": 1.5}, {"nope": 1}],
)
def test_an_answer_outside_the_options_is_refused_naming_the_item(answers):
    with pytest.raises(AnswerError) as caught:
        score(FICTIONAL, answers)
    assert caught.value.item_id in ("q1", "nope")


def test_a_definition_object_is_scored_the_same_as_its_file():
    assert score(build(FICTIONAL), ALL) == score(FICTIONAL, ALL)


# Reliable change: RCI = (x2 − x1) / (SD · √2 · √(1 − r)) -------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "sd", "r", "higher_is_better", "rci", "band"),
    [
        (10, 16, 3.0, 0.8, True, 6 / (3 * math.sqrt(2) * math.sqrt(0.2)), ChangeBand.IMPROVEMENT),
        (
            16,
            10,
            3.0,
            0.8,
            True,
            -6 / (3 * math.sqrt(2) * math.sqrt(0.2)),
            ChangeBand.DETERIORATION,
        ),
        (10, 11, 3.0, 0.8, True, 1 / (3 * math.sqrt(2) * math.sqrt(0.2)), ChangeBand.NO_CHANGE),
        # Lower is better (loneliness): a fall is an improvement.
        (7, 4, 1.5, 0.7, False, -3 / (1.5 * math.sqrt(2) * math.sqrt(0.3)), ChangeBand.IMPROVEMENT),
        (
            4,
            7,
            1.5,
            0.7,
            False,
            3 / (1.5 * math.sqrt(2) * math.sqrt(0.3)),
            ChangeBand.DETERIORATION,
        ),
        # Exactly 1.96 is reliable (SD·√2·√(1 − r) = 1 here).
        (0, 1.96, 1.0, 0.5, True, 1.96, ChangeBand.IMPROVEMENT),
        (0, 1.95, 1.0, 0.5, True, 1.95, ChangeBand.NO_CHANGE),
        (5, 5, 2.0, 0.9, False, 0.0, ChangeBand.NO_CHANGE),
    ],
)
def test_reliable_change_index_and_band(before, after, sd, r, higher_is_better, rci, band):
    change = reliable_change(before, after, sd=sd, reliability=r, higher_is_better=higher_is_better)
    assert change.change == pytest.approx(after - before)
    assert change.rci == pytest.approx(rci)
    assert change.band == band
    assert change.label == band.label


def test_without_sd_or_reliability_the_change_is_given_without_an_rci():
    for sd, r in [(None, 0.8), (3.0, None), (None, None)]:
        change = reliable_change(7, 5, sd=sd, reliability=r, higher_is_better=False)
        assert change.change == -2
        assert change.rci is None and change.band is None
        assert "No reliable change index" in change.label


@pytest.mark.parametrize(
    "kwargs",
    [
        {"before": None, "after": 3, "sd": 1, "reliability": 0.5},
        {"before": 1, "after": "3", "sd": 1, "reliability": 0.5},
        {"before": 1, "after": 3, "sd": 0, "reliability": 0.5},
        {"before": 1, "after": 3, "sd": 1, "reliability": 1.0},
        {"before": 1, "after": 3, "sd": 1, "reliability": -0.1},
    ],
)
def test_reliable_change_refuses_what_is_not_a_score(kwargs):
    with pytest.raises(ValueError):
        reliable_change(**kwargs, higher_is_better=True)
