"""Scoring a set of answers and reading change between two scores. Pure: no database.

The public API:

- :func:`score` (definition, answers) → :class:`Score`: reverse-scored items,
  the sum or mean (or each item on its own, never added up), the missing-item
  rule (prorate where the definition allows, else incomplete), the raw → metric
  lookup, subscales and bands.
- :func:`reliable_change` (before, after, *, sd, reliability, higher_is_better)
  → :class:`ReliableChange`: the change, the reliable change index
  RCI = (x₂ − x₁) / (SD · √2 · √(1 − r)) and its band, read with the score's
  direction (for loneliness a fall is an improvement).
"""

import math
import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path

from .definitions import TOTAL_KEY, Definition, build, load_file, shipped

# |RCI| at or above this is a reliable change (95%, two-sided).
RELIABLE_RCI = 1.96


class AnswerError(ValueError):
    """An answer that is not one of its item's options (or names no item)."""

    def __init__(self, item_id, message):
        self.item_id = item_id
        super().__init__(f"{item_id}: {message}")


def as_definition(definition):
    """A :class:`Definition` from one, from a parsed definition (a dict, checked
    against the schema), from a path to a JSON file, or from a shipped
    instrument's code (``"ucla3"``)."""
    if isinstance(definition, Definition):
        return definition
    if isinstance(definition, dict):
        return build(definition)
    if isinstance(definition, str | os.PathLike):
        path = Path(definition)
        if path.suffix == ".json" or path.exists():
            return load_file(path)
        return shipped(str(definition))
    raise TypeError("score() needs an instrument definition (a Definition, dict, path or code).")


def _value(item, raw):
    """An answer as one of the item's option values; None when not answered."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise AnswerError(item.id, "an answer is one of the options' values, not true or false")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    elif isinstance(raw, str):
        try:
            raw = int(raw.strip())
        except ValueError:
            raise AnswerError(item.id, f"{raw!r} is not one of the options") from None
    if not isinstance(raw, int) or raw not in item.values:
        allowed = ", ".join(str(value) for value, _label in item.options)
        raise AnswerError(item.id, f"{raw!r} is not one of the options ({allowed})")
    return raw


def read_answers(definition, answers):
    """``{item id: value or None}`` for every item, from a mapping by item id (or
    a list in item order). Unknown items and values outside the options raise
    :class:`AnswerError`."""
    definition = as_definition(definition)
    if isinstance(answers, list | tuple):
        if len(answers) > len(definition.items):
            raise AnswerError(
                "answers", f"{len(answers)} answers for {len(definition.items)} items"
            )
        answers = {item.id: value for item, value in zip(definition.items, answers, strict=False)}
    unknown = set(answers) - set(definition.item_by_id)
    if unknown:
        raise AnswerError(sorted(unknown)[0], "there is no such item in this instrument")
    return {item.id: _value(item, answers.get(item.id)) for item in definition.items}


def _round_half_up(value):
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _combine(rule, values, *, need, prorate):
    """(score, prorated) of item scores ``values`` (None = not answered) by
    ``rule``; (None, False) when too few are answered."""
    answered = [value for value in values if value is not None]
    if not answered:
        return None, False
    prorated = len(answered) < len(values)
    if prorated and not (prorate and len(answered) >= need):
        return None, False
    if rule == "mean":
        return sum(answered) / len(answered), prorated
    total = sum(answered)
    return (total * len(values) / len(answered) if prorated else total), prorated


@dataclass(frozen=True)
class Score:
    """A scored set of answers.

    ``scores``: the reported scores by key, ``{"total": …}`` for a sum or mean,
    one per item id when items are reported separately (there is then no
    total). None where too few items were answered. ``bands``: the band of each
    reported score. ``subscales`` / ``subscale_bands`` by subscale id.
    ``raw_total`` is the total before the lookup table. ``complete``: every
    reported score could be worked out (``prorated`` says if one was prorated).
    """

    rule: str
    scores: dict
    bands: dict
    subscales: dict
    subscale_bands: dict
    raw_total: float | int | None
    answered: int
    missing: tuple
    prorated: bool
    complete: bool

    @property
    def total(self):
        """The total (None for items reported separately, or when incomplete)."""
        return self.scores.get(TOTAL_KEY)

    @property
    def band(self):
        return self.bands.get(TOTAL_KEY)

    @property
    def items(self):
        """Items reported separately: ``{item id: score}`` (else empty)."""
        return dict(self.scores) if self.rule == "separate" else {}

    def as_dict(self):
        return {
            "rule": self.rule,
            "scores": dict(self.scores),
            "bands": dict(self.bands),
            "subscales": dict(self.subscales),
            "subscale_bands": dict(self.subscale_bands),
            "raw_total": self.raw_total,
            "answered": self.answered,
            "missing": list(self.missing),
            "prorated": self.prorated,
            "complete": self.complete,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(**{**data, "missing": tuple(data.get("missing", ()))})

    def __getitem__(self, key):
        return self.as_dict()[key]


def score(definition, answers):
    """Score ``answers`` (``{item id: option value}``; unanswered items left out
    or None) by ``definition``. See :class:`Score`."""
    definition = as_definition(definition)
    values = read_answers(definition, answers)
    scored = {
        item.id: None if values[item.id] is None else item.scored(values[item.id])
        for item in definition.items
    }
    missing = tuple(item_id for item_id, value in values.items() if value is None)
    answered = len(values) - len(missing)
    scores, bands = {}, {}
    prorated = False
    raw_total = None
    if definition.reports_items_separately:
        for item in definition.items:
            scores[item.id] = scored[item.id]
            bands[item.id] = item.score.band_for(scored[item.id])
        complete = not missing
    else:
        raw_total, prorated = _combine(
            definition.rule,
            list(scored.values()),
            need=definition.min_answered,
            prorate=definition.prorate,
        )
        total = raw_total
        if raw_total is not None and definition.lookup is not None:
            total = definition.lookup[_round_half_up(raw_total)]
        scores[TOTAL_KEY] = total
        bands[TOTAL_KEY] = definition.total.band_for(total)
        complete = total is not None
    subscales, subscale_bands = {}, {}
    for subscale in definition.subscales:
        value, sub_prorated = _combine(
            definition.rule,
            [scored[item_id] for item_id in subscale.items],
            need=subscale.min_answered,
            prorate=definition.prorate,
        )
        subscales[subscale.id] = value
        subscale_bands[subscale.id] = subscale.score.band_for(value)
        prorated = prorated or sub_prorated
    return Score(
        rule=definition.rule,
        scores=scores,
        bands=bands,
        subscales=subscales,
        subscale_bands=subscale_bands,
        raw_total=raw_total,
        answered=answered,
        missing=missing,
        prorated=prorated,
        complete=complete,
    )


class ChangeBand(StrEnum):
    IMPROVEMENT = "reliable_improvement", "Reliable improvement"
    NO_CHANGE = "no_reliable_change", "No reliable change"
    DETERIORATION = "reliable_deterioration", "Reliable deterioration"

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


@dataclass(frozen=True)
class ReliableChange:
    """``change`` = after − before; ``rci`` and ``band`` are None when the
    score has no SD or reliability (the change is then shown on its own)."""

    before: float
    after: float
    change: float
    rci: float | None
    band: ChangeBand | None

    @property
    def label(self):
        return self.band.label if self.band else "No reliable change index (no SD or reliability)"

    @property
    def improved(self):
        return self.band == ChangeBand.IMPROVEMENT

    @property
    def deteriorated(self):
        return self.band == ChangeBand.DETERIORATION


def _number(name, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number, not {value!r}")
    return value


def reliable_change(before, after, *, sd, reliability, higher_is_better):
    """The change from ``before`` to ``after`` and, given the score's ``sd`` and
    ``reliability``, the reliable change index and its band: |RCI| ≥ 1.96 is a
    reliable change, an improvement when it goes the better way
    (``higher_is_better``), else a deterioration."""
    change = _number("after", after) - _number("before", before)
    if sd is None or reliability is None:
        return ReliableChange(before, after, change, None, None)
    if _number("sd", sd) <= 0:
        raise ValueError("sd must be above 0")
    if not 0 <= _number("reliability", reliability) < 1:
        raise ValueError("reliability must be at least 0 and below 1")
    rci = change / (sd * math.sqrt(2) * math.sqrt(1 - reliability))
    # Rounded before the comparison, so an RCI of exactly 1.96 is not lost to float error.
    if round(abs(rci), 9) >= RELIABLE_RCI:
        band = ChangeBand.IMPROVEMENT if (rci > 0) == higher_is_better else ChangeBand.DETERIORATION
    else:
        band = ChangeBand.NO_CHANGE
    return ReliableChange(before, after, change, rci, band)
