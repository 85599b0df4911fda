"""The GAS T-score (DESIGN §4, Turner-Stokes 2009 with its erratum)."""

import math

import pytest

from goals.gas import goal_weight, t_score


def formula(levels, weights, rho=0.3):
    sw = sum(weights)
    return 50 + 10 * sum(w * x for w, x in zip(weights, levels, strict=True)) / math.sqrt(
        (1 - rho) * sum(w * w for w in weights) + rho * sw * sw
    )


@pytest.mark.parametrize(
    ("levels", "expected"),
    [([1, 1, 1], 63.69), ([-1, -1, -1], 36.31), ([0, 0, 0], 50.00)],
)
def test_three_equal_goals_match_the_published_checks(levels, expected):
    assert round(t_score(levels), 2) == expected


def test_no_goals_gives_no_score_not_fifty():
    assert t_score([]) is None
    assert t_score([], []) is None


def test_a_single_goal_moves_ten_points_per_level():
    assert t_score([1]) == pytest.approx(60.0)
    assert t_score([-2]) == pytest.approx(30.0)
    assert t_score([2], [6]) == pytest.approx(70.0)


def test_weighted_goals_follow_the_formula():
    levels, weights = [2, -1, 0, 1], [6, 2, 9, 1]
    assert t_score(levels, weights) == pytest.approx(formula(levels, weights))
    # Σwx = 11, Σw = 18, Σw² = 122: 50 + 110 / √(0.7·122 + 0.3·18²) = 58.14
    assert round(t_score(levels, weights), 2) == 58.14


def test_mixed_signs_can_cancel_out():
    assert t_score([1, -1]) == pytest.approx(50.0)
    assert t_score([2, -1, -1]) == pytest.approx(50.0)
    assert t_score([2, -1], [1, 4]) == pytest.approx(formula([2, -1], [1, 4]))
    assert t_score([2, -1], [1, 4]) < 50


def test_weights_that_favour_the_better_goal_raise_the_score():
    assert t_score([2, -2], [3, 1]) > 50 > t_score([2, -2], [1, 3])


def test_a_goal_with_zero_weight_does_not_count():
    assert t_score([2, 1], [0, 1]) == pytest.approx(t_score([1]))


def test_all_zero_weights_give_no_score():
    assert t_score([1, 2], [0, 0]) is None


def test_rho_is_a_parameter():
    assert t_score([1, 1], rho=0) == pytest.approx(50 + 10 * 2 / math.sqrt(2))
    assert t_score([1, 1, 1], rho=0.5) == pytest.approx(formula([1, 1, 1], [1, 1, 1], 0.5))


@pytest.mark.parametrize("bad", [3, -3, 2.5, "high", None, float("nan")])
def test_levels_outside_the_scale_are_rejected(bad):
    with pytest.raises(ValueError):
        t_score([0, bad])


@pytest.mark.parametrize(("levels", "weights"), [([1, 1], [1, -1]), ([1, 1], [1]), ([1], ["x"])])
def test_negative_or_mismatched_weights_are_rejected(levels, weights):
    with pytest.raises(ValueError):
        t_score(levels, weights)


def test_rho_outside_zero_to_one_is_rejected():
    with pytest.raises(ValueError):
        t_score([1], rho=1)
    with pytest.raises(ValueError):
        t_score([1], rho=-0.1)


def test_weight_is_importance_times_difficulty_and_one_only_when_both_unset():
    assert goal_weight(None, None) == 1
    assert goal_weight(3, 3) == 9
    assert goal_weight(2, 0) == 0
    assert goal_weight(0, None) == 0
    assert goal_weight(2, None) == 2
    with pytest.raises(ValueError):
        goal_weight(4, 1)
    with pytest.raises(ValueError):
        goal_weight(1, -1)
