"""Fidelity self-assessment questionnaires: JSON definitions checked against the
schema that ships with the app (``schema/self_assessment.schema.json``), as the
outcome instruments are (``outcomes.definitions``).

A questionnaire holds a few items, each worded once for the worker ("We mapped
…") and once for the person ("We looked together …"), with its options. An item
may name the practice-fidelity component it asks about (``component``) and the
lowest answer that means "in place" (``in_place_from``), so a supervisor can set
both reports beside the records.

A file is refused as a whole, with every problem and where it is, when it fails
the schema or a check the schema cannot express (duplicate item ids or option
values, ``in_place_from`` not one of the item's values). Pure: no database.
"""

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema

HERE = Path(__file__).parent
SCHEMA_PATH = HERE / "schema" / "self_assessment.schema.json"
EXAMPLE_PATH = HERE / "self_assessments" / "example.json"


class QuestionnaireError(ValueError):
    """A definition that cannot be used; ``problems`` is ``[(where, message), …]``."""

    def __init__(self, problems, *, source=""):
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self):
        lines = [f"{where}: {message}" if where else message for where, message in self.problems]
        return (f"{self.source}: " if self.source else "") + "; ".join(lines)


@dataclass(frozen=True)
class Item:
    id: str
    number: int
    worker_text: str
    person_text: str
    options: tuple  # ((value, label), …)
    component: str = ""
    in_place_from: int | None = None

    @property
    def values(self):
        return frozenset(value for value, _label in self.options)

    @property
    def top(self):
        return max(self.values)

    def label_for(self, value):
        return dict(self.options).get(value)

    def says_in_place(self, value):
        """Whether an answer says the component is in place (None: no such rule)."""
        if value is None or self.in_place_from is None:
            return None
        return value >= self.in_place_from

    def text_for(self, respondent):
        return self.person_text if respondent == "person" else self.worker_text


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str
    about: str
    interval_months: int
    items: tuple

    @functools.cached_property
    def item_by_id(self):
        return {item.id: item for item in self.items}

    def score(self, answers):
        """Share of the highest possible answers over the items answered (0–1),
        or None with nothing answered."""
        got = top = 0
        for item in self.items:
            value = answers.get(item.id)
            if value is not None and value in item.values:
                got += value - min(item.values)
                top += item.top - min(item.values)
        return got / top if top else None


@functools.cache
def _validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _where(path):
    where = ""
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where


def parse(data, *, source=""):
    """A :class:`Questionnaire` from decoded JSON, or :class:`QuestionnaireError`."""
    problems = [
        (_where(error.absolute_path), error.message)
        for error in sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise QuestionnaireError(problems, source=source)
    seen = set()
    items = []
    for index, raw in enumerate(data["items"]):
        where = f"items[{index}]"
        if raw["id"] in seen:
            problems.append((f"{where}.id", f"the item id {raw['id']!r} is used twice"))
        seen.add(raw["id"])
        values = [option["value"] for option in raw["options"]]
        if len(set(values)) != len(values):
            problems.append((f"{where}.options", "two options have the same value"))
        in_place = raw.get("in_place_from")
        if in_place is not None and in_place not in values:
            problems.append((f"{where}.in_place_from", f"{in_place} is not one of the values"))
        items.append(
            Item(
                id=raw["id"],
                number=index + 1,
                worker_text=raw["worker_text"],
                person_text=raw["person_text"],
                options=tuple((option["value"], option["label"]) for option in raw["options"]),
                component=raw.get("component", ""),
                in_place_from=in_place,
            )
        )
    if problems:
        raise QuestionnaireError(problems, source=source)
    return Questionnaire(
        code=data["code"],
        name=data["name"],
        about=data["about"],
        interval_months=data["interval_months"],
        items=tuple(items),
    )


def read_file(path):
    """``(decoded JSON, Questionnaire)`` from a file, or :class:`QuestionnaireError`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError([("", f"cannot be read: {error}")], source=str(path)) from error
    except json.JSONDecodeError as error:
        raise QuestionnaireError(
            [("", f"is not JSON (line {error.lineno}): {error.msg}")], source=str(path)
        ) from error
    return data, parse(data, source=str(path))


def checksum(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
