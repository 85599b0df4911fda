"""Instrument definitions: JSON files checked against the schema that ships with
the app (``schema/instrument.schema.json``), then read into :class:`Definition`.

A file is refused as a whole, with every problem and where it is
(``items[2].options[0].value: …``), when it fails the schema or a check the
schema cannot express: duplicate item, subscale or option ids, an item naming
an unknown subscale or response set, bands out of order, an incomplete lookup
table, a score without its direction. Nothing about the file is kept then.

Pure: no database. :mod:`outcomes.services` stores definitions as versions.
"""

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import jsonschema

HERE = Path(__file__).parent
SCHEMA_PATH = HERE / "schema" / "instrument.schema.json"
SHIPPED_DIR = HERE / "instruments"

RULES = ("sum", "mean", "separate")
TOTAL_KEY = "total"


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` is ``[(where, message), …]``."""

    def __init__(self, problems, *, source=""):
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self):
        lines = [f"{where}: {message}" if where else message for where, message in self.problems]
        prefix = f"{self.source}: " if self.source else ""
        return prefix + "; ".join(lines)


@dataclass(frozen=True)
class Band:
    label: str
    min: float
    max: float


@dataclass(frozen=True)
class ScoreSpec:
    """One reported score: the total, a subscale, or an item reported on its own."""

    key: str
    label: str
    higher_is_better: bool
    minimum: float
    maximum: float
    sd: float | None = None
    reliability: float | None = None
    bands: tuple = ()
    source: str = ""

    @property
    def has_rci(self):
        return self.sd is not None and self.reliability is not None

    def band_for(self, value):
        """The band a score falls in. A score between two bands (a mean or a
        prorated total) has not reached the next threshold: the lower band."""
        if value is None or not self.bands:
            return None
        found = None
        for band in self.bands:
            if value >= band.min:
                found = band
        if found is None or (found is self.bands[-1] and value > found.max):
            return None
        return found.label


@dataclass(frozen=True)
class Item:
    id: str
    number: int
    text: str
    options: tuple  # ((value, label), …) in the file's order
    reverse: bool = False
    subscales: tuple = ()
    score: ScoreSpec | None = None  # items reported separately

    @functools.cached_property
    def values(self):
        return frozenset(value for value, _label in self.options)

    @property
    def low(self):
        return min(self.values)

    @property
    def high(self):
        return max(self.values)

    def label_for(self, value):
        return dict(self.options).get(value)

    def scored(self, value):
        return self.low + self.high - value if self.reverse else value


@dataclass(frozen=True)
class Subscale:
    id: str
    label: str
    items: tuple  # item ids
    min_answered: int
    score: ScoreSpec


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    short_name: str
    about: str
    recall_period: str
    licence: dict
    follow_up_months: int | None
    items: tuple
    subscales: tuple
    rule: str
    min_answered: int
    prorate: bool
    lookup: dict | None  # {raw int: metric}
    total: ScoreSpec | None  # None when items are reported separately
    data: dict = field(repr=False, compare=False, hash=False)

    @property
    def item_text_may_be_shown(self):
        return bool(self.licence.get("item_text_may_be_shown"))

    @property
    def licence_holder(self):
        return self.licence.get("holder", "")

    @property
    def reports_items_separately(self):
        return self.rule == "separate"

    @functools.cached_property
    def item_by_id(self):
        return {item.id: item for item in self.items}

    @property
    def headline(self):
        """The scores a result reports and charts: the total, or each item."""
        if self.reports_items_separately:
            return tuple(item.score for item in self.items)
        return (self.total,)

    @functools.cached_property
    def specs(self):
        """Every reported score by key: the headline ones and the subscales."""
        found = {spec.key: spec for spec in self.headline}
        for subscale in self.subscales:
            found[subscale.score.key] = subscale.score
        return found

    def item_heading(self, item):
        """How a question is named on screen: numbered, with its text when the
        licence allows ("2. How often do you feel left out?"), else "Question 2"."""
        if self.item_text_may_be_shown and item.text:
            return f"{item.number}. {item.text}"
        return f"Question {item.number}"


# Reading and checking --------------------------------------------------------------


@functools.cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def where(path):
    """``items[2].options[0]`` from a JSON path (keys and list indexes)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(the whole file)"


def _schema_message(error):
    if error.validator == "oneOf" and error.path and "id" in (error.instance or {}):
        return "give the item either its own options or a response_set, not both or neither"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    return error.message


def schema_problems(data):
    """Schema errors as ``[(where, message)]``, in the order they appear in the file."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [(where(error.absolute_path), _schema_message(error)) for error in errors]


def read_json(text, *, source=""):
    """``text`` as JSON, or :class:`DefinitionError` saying where it breaks."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})")],
            source=source,
        ) from exc


def read_file(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([("", f"cannot read the file ({exc})")], source=str(path)) from exc
    return read_json(text, source=path.name)


def checksum(data):
    """A fingerprint of a definition's content (key order and spacing ignored)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _band_problems(bands, path, problems):
    previous = None
    for index, band in enumerate(bands):
        here = where([*path, index])
        if band["min"] > band["max"]:
            problems.append((here, f"min {band['min']} is above max {band['max']}"))
        if previous is not None and band["min"] <= previous["max"]:
            problems.append(
                (
                    here,
                    "bands must be in order and not overlap: this one starts at or below "
                    f"the end of the one before ({previous['max']})",
                )
            )
        previous = band


def _spec(raw, *, key, label, minimum, maximum):
    raw = raw or {}
    return ScoreSpec(
        key=key,
        label=raw.get("label", label),
        higher_is_better=raw["higher_is_better"],
        minimum=minimum,
        maximum=maximum,
        sd=raw.get("sd"),
        reliability=raw.get("reliability"),
        bands=tuple(Band(b["label"], b["min"], b["max"]) for b in raw.get("bands", ())),
        source=raw.get("source", ""),
    )


def _range(rule, items, lookup):
    if lookup:
        return min(lookup.values()), max(lookup.values())
    lows, highs = [item.low for item in items], [item.high for item in items]
    if rule == "sum":
        return sum(lows), sum(highs)
    return min(lows), max(highs)


def _raw_total_range(items):
    return sum(item.low for item in items), sum(item.high for item in items)


def build(data, *, source=""):
    """A :class:`Definition` from parsed JSON, or :class:`DefinitionError`."""
    problems = schema_problems(data)
    if problems:
        raise DefinitionError(problems, source=source)
    problems = []
    scoring = data["scoring"]
    rule = scoring["rule"]
    sets = data.get("response_sets", {})
    subscale_ids = [s["id"] for s in data.get("subscales", [])]

    seen = {}
    for index, raw in enumerate(data.get("subscales", [])):
        if raw["id"] in seen:
            problems.append(
                (
                    where(["subscales", index, "id"]),
                    f"duplicate subscale id {raw['id']!r} (also subscales[{seen[raw['id']]}])",
                )
            )
        seen.setdefault(raw["id"], index)

    items = []
    seen = {}
    members = {sid: [] for sid in subscale_ids}
    for index, raw in enumerate(data["items"]):
        path = ["items", index]
        if raw["id"] in seen:
            problems.append(
                (
                    where([*path, "id"]),
                    f"duplicate item id {raw['id']!r} (also items[{seen[raw['id']]}])",
                )
            )
        seen.setdefault(raw["id"], index)
        if "response_set" in raw:
            options = sets.get(raw["response_set"])
            if options is None:
                problems.append(
                    (
                        where([*path, "response_set"]),
                        f"unknown response set {raw['response_set']!r}",
                    )
                )
                continue
        else:
            options = raw["options"]
        values = [option["value"] for option in options]
        if len(set(values)) != len(values):
            problems.append((where(path), "two response options have the same value"))
        for name in raw.get("subscales", []):
            if name not in members:
                problems.append(
                    (where([*path, "subscales"]), f"refers to an unknown subscale {name!r}")
                )
            else:
                members[name].append(raw["id"])
        item = Item(
            id=raw["id"],
            number=index + 1,
            text=raw.get("text", ""),
            options=tuple((o["value"], o["label"]) for o in options),
            reverse=raw.get("reverse", False),
            subscales=tuple(raw.get("subscales", ())),
        )
        if rule == "separate":
            if "score" not in raw:
                problems.append(
                    (
                        where(path),
                        "items reported separately each need a score (at least higher_is_better)",
                    )
                )
            else:
                _band_problems(raw["score"].get("bands", []), [*path, "score", "bands"], problems)
                spec = _spec(
                    raw["score"], key=item.id, label=item.id, minimum=item.low, maximum=item.high
                )
                item = replace(item, score=spec)
        elif "score" in raw:
            problems.append(
                (where([*path, "score"]), "only items reported separately have their own score")
            )
        items.append(item)

    count = len(data["items"])
    min_answered = scoring.get("min_answered", count)
    if min_answered > count:
        problems.append(
            (where(["scoring", "min_answered"]), f"{min_answered} is more than the {count} items")
        )
    lookup = None
    total = None
    if rule == "separate":
        for name in ("lookup", "total"):
            if name in scoring:
                problems.append(
                    (
                        where(["scoring", name]),
                        "items reported separately are never added up, so there is no total",
                    )
                )
        if data.get("subscales"):
            problems.append(
                ("subscales", "subscales need a sum or mean rule, not items reported separately")
            )
    else:
        if "total" not in scoring:
            problems.append(
                (where(["scoring"]), "say how the total reads: scoring.total.higher_is_better")
            )
        else:
            _band_problems(
                scoring["total"].get("bands", []), ["scoring", "total", "bands"], problems
            )
        if "lookup" in scoring:
            if rule != "sum":
                problems.append((where(["scoring", "lookup"]), "a lookup table needs the sum rule"))
            else:
                lookup = {int(raw): metric for raw, metric in scoring["lookup"].items()}
                if len(items) == count:
                    low, high = _raw_total_range(items)
                    missing = [
                        n for n in range(math.floor(low), math.ceil(high) + 1) if n not in lookup
                    ]
                    if missing:
                        shown = ", ".join(map(str, missing[:10]))
                        problems.append(
                            (
                                where(["scoring", "lookup"]),
                                f"no metric score for raw total {shown}"
                                f"{' …' if len(missing) > 10 else ''}",
                            )
                        )
    subscales = []
    for index, raw in enumerate(data.get("subscales", [])):
        path = ["subscales", index]
        ids = members.get(raw["id"], [])
        if not ids:
            problems.append((where(path), f"no item belongs to subscale {raw['id']!r}"))
            continue
        need = raw.get("min_answered", len(ids))
        if need > len(ids):
            problems.append(
                (
                    where([*path, "min_answered"]),
                    f"{need} is more than the subscale's {len(ids)} items",
                )
            )
        if "score" in raw:
            _band_problems(raw["score"].get("bands", []), [*path, "score", "bands"], problems)
        if problems:
            continue
        sub_items = [i for i in items if i.id in ids]
        low, high = _range(rule, sub_items, None)
        spec_raw = raw.get("score") or {
            "higher_is_better": scoring.get("total", {}).get("higher_is_better", True)
        }
        subscales.append(
            Subscale(
                id=raw["id"],
                label=raw["label"],
                items=tuple(ids),
                min_answered=need,
                score=_spec(
                    spec_raw,
                    key=f"subscale:{raw['id']}",
                    label=raw["label"],
                    minimum=low,
                    maximum=high,
                ),
            )
        )
    if problems:
        raise DefinitionError(problems, source=source)
    if rule != "separate":
        low, high = _range(rule, items, lookup)
        total = _spec(scoring["total"], key=TOTAL_KEY, label="Total", minimum=low, maximum=high)
    return Definition(
        code=data["code"],
        name=data["name"],
        short_name=data.get("short_name", data["name"]),
        about=data.get("about", ""),
        recall_period=data.get("recall_period", ""),
        licence=dict(data["licence"]),
        follow_up_months=data.get("follow_up_months"),
        items=tuple(items),
        subscales=tuple(subscales),
        rule=rule,
        min_answered=min_answered,
        prorate=scoring.get("prorate", False),
        lookup=lookup,
        total=total,
        data=data,
    )


def load_file(path):
    """The :class:`Definition` in the file at ``path`` (refused as a whole)."""
    path = Path(path)
    return build(read_file(path), source=path.name)


def shipped_paths():
    """The open instruments that ship with the app."""
    return sorted(SHIPPED_DIR.glob("*.json"))


@functools.cache
def shipped(code):
    """A shipped instrument's definition by code (``"ons4"``, ``"ucla3"``)."""
    for path in shipped_paths():
        if path.stem == code:
            return load_file(path)
    raise KeyError(f"No instrument {code!r} ships with the app.")


_compiled = {}


def compiled(data, *, key=None):
    """:func:`build` of a stored definition, remembered by its content (``key``:
    its :func:`checksum`, when known), for scoring many results in one pass."""
    key = key or checksum(data)
    definition = _compiled.get(key)
    if definition is None:
        definition = _compiled[key] = build(data)
    return definition
