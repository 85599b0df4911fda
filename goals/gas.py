"""Goal Attainment Scaling (GAS): the aggregate T-score. Pure functions, no Django.

Each goal is rated on five levels, −2..+2, where 0 is the expected outcome
(Kiresuk & Sherman 1968). The goals rated at one time are summarised by one
T-score (Turner-Stokes 2009, "Goal attainment scaling (GAS) in rehabilitation:
a practical guide", Clin Rehabil 23:362–370, as corrected by its erratum, which
puts Σwᵢ² — not (Σwᵢ)² — under (1 − ρ))::

    T = 50 + 10 · Σ(wᵢ·xᵢ) / √( (1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)² )

with xᵢ the level attained on goal i, wᵢ its weight and ρ the assumed
correlation between goal scores (0.3 by convention). Three equally weighted
goals all at +1 give 63.69, all at −1 give 36.31, all at 0 give 50.00.

Weights (:func:`goal_weight`): importance × difficulty, each rated 0–3, so a
weight is 0–9. A goal whose importance or difficulty is 0 has weight 0 and does
not move the score; only when BOTH are unset (``None``) is the goal treated as
unweighted (weight 1). When one of the two is set and the other is not, the
unset one counts as 1 (the scale's "a little"), so a partly weighted goal still
counts rather than silently dropping out.
"""

import math
from collections.abc import Iterable

LEVELS = (-2, -1, 0, 1, 2)
MIN_LEVEL, MAX_LEVEL = -2, 2
DEFAULT_RHO = 0.3


def goal_weight(importance, difficulty):
    """The GAS weight of a goal: importance × difficulty (each 0–3); 1 when both are unset.

    >>> goal_weight(None, None), goal_weight(2, 3), goal_weight(0, 3), goal_weight(2, None)
    (1, 6, 0, 2)
    """
    for name, value in (("importance", importance), ("difficulty", difficulty)):
        if value is not None and not 0 <= value <= 3:
            raise ValueError(f"{name} must be between 0 and 3, not {value!r}")
    if importance is None and difficulty is None:
        return 1
    return (1 if importance is None else importance) * (1 if difficulty is None else difficulty)


def _real(value, what):
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{what} must be a number, not {value!r}") from exc
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return value


def t_score(levels: Iterable, weights: Iterable | None = None, rho: float = DEFAULT_RHO):
    """The aggregate GAS T-score of goals rated at one time, or ``None`` for no goals.

    ``levels``: the level attained on each goal, each between −2 and +2.
    ``weights``: one weight per goal (≥ 0), or ``None`` for unweighted goals (all 1).
    ``rho``: the assumed correlation between goal scores, 0 ≤ ρ < 1 (default 0.3).

    Returns the unrounded score (show it to two decimals). Returns ``None`` when
    there are no goals (no goals is not "as expected", so not 50) and when every
    weight is 0 (no goal counts, so there is nothing to score). Raises
    ``ValueError`` for a level outside −2..+2, a negative weight, a different
    number of weights and levels, or ρ outside 0..1.

    >>> round(t_score([1, 1, 1]), 2), round(t_score([-1, -1, -1]), 2), t_score([0, 0, 0])
    (63.69, 36.31, 50.0)
    >>> t_score([]) is None
    True
    """
    xs = [_real(level, "a level") for level in levels]
    for x in xs:
        if not MIN_LEVEL <= x <= MAX_LEVEL:
            raise ValueError(f"levels run from -2 to +2; {x!r} is outside that range")
    if weights is None:
        ws = [1.0] * len(xs)
    else:
        ws = [_real(weight, "a weight") for weight in weights]
        if len(ws) != len(xs):
            raise ValueError(f"{len(xs)} levels but {len(ws)} weights; give one weight per goal")
        for w in ws:
            if w < 0:
                raise ValueError(f"weights cannot be negative ({w!r})")
    rho = _real(rho, "rho")
    if not 0 <= rho < 1:
        raise ValueError(f"rho must be at least 0 and less than 1, not {rho!r}")
    if not xs:
        return None
    sum_w = math.fsum(ws)
    if sum_w == 0:
        return None
    sum_wx = math.fsum(w * x for w, x in zip(ws, xs, strict=True))
    sum_w2 = math.fsum(w * w for w in ws)
    return 50 + 10 * sum_wx / math.sqrt((1 - rho) * sum_w2 + rho * sum_w * sum_w)
