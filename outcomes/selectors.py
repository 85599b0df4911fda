"""Reads of outcome results, each in a fixed number of queries.

For one person (already fetched through ``caseload.access``): their results per
instrument, with the distance travelled since the baseline and the reliable
change (:func:`person_outcomes`). For many people at once (the board, the
journey, reminders, fidelity and the dashboard): annotations and grouped reads
that take one or two queries whatever the number of people or results.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from caseload.access import visible_service_users
from caseload.models import ServiceUser, StageChange
from caseload.stages import Stage
from core.per_person import PerPerson

from . import schedule
from .definitions import TOTAL_KEY
from .models import Instrument, InstrumentVersion, Result, Timepoint
from .scoring import ReliableChange, Score, reliable_change

# Team figures built from fewer people than this are shown as "fewer than 5".
MIN_PEOPLE = 5


def offered_instruments():
    """Instruments a new result can be recorded with, by name."""
    return Instrument.objects.filter(active=True, current_version__isnull=False).order_by(
        "name", "id"
    )


def instrument_for_recording(code):
    """The offered instrument with ``code`` and its current version, or None."""
    if not isinstance(code, str) or not code:
        return None
    return offered_instruments().select_related("current_version").filter(code=code).first()


def instrument_by_public_id(public_id):
    try:
        return (
            Instrument.objects.select_related("current_version").filter(public_id=public_id).first()
        )
    except (ValueError, ValidationError):
        return None


def instruments_with_versions():
    return Instrument.objects.select_related("current_version").order_by("name", "id")


def instrument_versions(instrument):
    return instrument.versions.select_related("loaded_by").order_by("-number")


def _attach_versions(results):
    """Each result's ``scoring_version`` from one query for all of them (each
    version's definition is read once, not once per result)."""
    ids = {result.scoring_version_id for result in results}
    versions = InstrumentVersion.objects.in_bulk(ids) if ids else {}
    for result in results:
        result.scoring_version = versions[result.scoring_version_id]
    return results


def results_for(service_user):
    """The person's results, oldest first, with instrument and scoring version:
    two queries however many results."""
    results = list(
        Result.objects.filter(service_user=service_user)
        .select_related("instrument", "recorded_by", "service_user")
        .order_by("completed_on", "created_at", "id")
    )
    return _attach_versions(results)


def result_for(service_user, result_id):
    """One of the person's results with its instrument and version, or None."""
    try:
        return (
            Result.objects.select_related(
                "instrument", "scoring_version", "recorded_by", "service_user"
            )
            .filter(service_user=service_user, public_id=result_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def baseline_for(service_user, instrument, *, exclude=None):
    """The person's baseline result for ``instrument`` (None if there is none)."""
    results = Result.objects.filter(
        service_user=service_user, instrument=instrument, timepoint=Timepoint.BASELINE
    )
    if exclude is not None and exclude.pk:
        results = results.exclude(pk=exclude.pk)
    return results.first()


def earliest_after_baseline(service_user, instrument, *, exclude=None):
    """The earliest result for ``instrument`` that is not the baseline."""
    results = Result.objects.filter(service_user=service_user, instrument=instrument).exclude(
        timepoint=Timepoint.BASELINE
    )
    if exclude is not None and exclude.pk:
        results = results.exclude(pk=exclude.pk)
    return results.order_by("completed_on", "id").first()


# One person ------------------------------------------------------------------------


@dataclass
class Cell:
    spec: object
    value: float | None
    band: str | None


@dataclass
class ResultRow:
    result: Result
    score: Score
    cells: list


@dataclass
class Line:
    """One reported score of an instrument over time, and its change since baseline."""

    spec: object
    points: list  # [(result, value)] with a value, oldest first
    baseline: tuple | None = None  # (result, value)
    latest: tuple | None = None  # (result, value): the latest after the baseline
    change: ReliableChange | None = None


@dataclass
class DueMeasure:
    instrument: Instrument
    last_on: datetime.date
    due_on: datetime.date

    @property
    def overdue(self):
        return self.due_on < timezone.localdate()


@dataclass
class History:
    instrument: Instrument
    definition: object  # of the latest result's version (labels, direction, SD)
    rows: list  # [ResultRow], oldest first
    lines: list  # [Line], one per reported score
    subscales: list = field(default_factory=list)  # ScoreSpecs of subscales
    due: DueMeasure | None = None

    @property
    def baseline(self):
        return next((row.result for row in self.rows if row.result.timepoint == "baseline"), None)

    @property
    def latest(self):
        return self.rows[-1].result if self.rows else None


def _change(spec, before, after):
    return reliable_change(
        before,
        after,
        sd=spec.sd,
        reliability=spec.reliability,
        higher_is_better=spec.higher_is_better,
    )


def _due(instrument, rows, today):
    """The next measure of an instrument the person has results for, if due."""
    if not instrument.active or any(row.result.timepoint == Timepoint.MOVING_ON for row in rows):
        return None
    last_on = max(row.result.completed_on for row in rows)
    due_on = schedule.due_on(last_on, instrument.follow_up_months)
    return DueMeasure(instrument, last_on, due_on) if due_on <= today else None


def _cells(definition, score):
    """One :class:`Cell` per reported score and subscale of ``definition``."""
    bands = {**score.bands, **{f"subscale:{k}": v for k, v in score.subscale_bands.items()}}
    values = {**score.scores, **{f"subscale:{k}": v for k, v in score.subscales.items()}}
    return [
        Cell(spec, values.get(spec.key), bands.get(spec.key))
        for spec in (*definition.headline, *(s.score for s in definition.subscales))
    ]


def result_cells(result):
    """A result's scores and bands, read with the version it was scored with."""
    return _cells(result.scoring_version.parsed, Score.from_dict(result.scores))


def _history(instrument, results, today):
    definition = results[-1].scoring_version.parsed
    rows = []
    for result in results:
        score = Score.from_dict(result.scores)
        rows.append(ResultRow(result, score, _cells(definition, score)))
    baseline = next((r for r in rows if r.result.timepoint == Timepoint.BASELINE), None)
    lines = []
    for index, spec in enumerate(definition.headline):
        points = [(row.result, row.cells[index].value) for row in rows]
        line = Line(spec, [(r, v) for r, v in points if v is not None])
        if baseline is not None:
            before = baseline.cells[index].value
            later = [
                (r, v)
                for r, v in line.points
                if r.pk != baseline.result.pk and r.completed_on >= baseline.result.completed_on
            ]
            if before is not None:
                line.baseline = (baseline.result, before)
            if before is not None and later:
                line.latest = later[-1]
                line.change = _change(spec, before, later[-1][1])
        lines.append(line)
    history = History(
        instrument=instrument,
        definition=definition,
        rows=rows,
        lines=lines,
        subscales=[s.score for s in definition.subscales],
    )
    history.due = _due(instrument, rows, today)
    return history


def person_outcomes(service_user, *, today=None):
    """The person's results per instrument (instruments by name): each result's
    scores and bands, each reported score's line over time, the distance
    travelled from the baseline to the latest result and its reliable change,
    and whether the next measure is due. Two queries."""
    today = today or timezone.localdate()
    grouped = defaultdict(list)
    for result in results_for(service_user):
        grouped[result.instrument_id].append(result)
    histories = [_history(results[0].instrument, results, today) for results in grouped.values()]
    return sorted(histories, key=lambda h: (h.instrument.name, h.instrument.pk))


# Many people -----------------------------------------------------------------------


def _due_cutoffs(today):
    """``instrument.follow_up_months`` → the latest last-result date that is due,
    as one CASE over the intervals the active instruments use.

    One small query reads those intervals (an agency uses one to three): a CASE
    over every possible interval made Django spend some 60 ms building the
    board's query, far more than the database spent running it."""
    intervals = sorted(
        Instrument.objects.filter(active=True)
        .order_by()
        .values_list("follow_up_months", flat=True)
        .distinct()
    )
    if not intervals:
        return Value(None, output_field=DateField())
    return Case(
        *[
            When(
                instrument__follow_up_months=months,
                then=Value(schedule.latest_date_still_due(today, months)),
            )
            for months in intervals
        ],
        output_field=DateField(),
    )


def measures_due_q(today=None):
    """An ``Exists`` for a ServiceUser queryset: the person has results for an
    active instrument whose next measure is due (the last result is the
    interval old, and none was at moving on)."""
    today = today or timezone.localdate()
    newer_or_final = Result.objects.filter(
        service_user=OuterRef("service_user"), instrument=OuterRef("instrument")
    ).filter(Q(completed_on__gt=OuterRef("cutoff")) | Q(timepoint=Timepoint.MOVING_ON))
    due = (
        Result.objects.filter(service_user=OuterRef("pk"), instrument__active=True)
        .annotate(cutoff=_due_cutoffs(today))
        .filter(completed_on__lte=F("cutoff"))
        .filter(~Exists(newer_or_final))
    )
    return Exists(due)


def with_measures_due(people, *, today=None):
    """Annotate a ServiceUser queryset with ``measures_due`` (see :func:`measures_due_q`)."""
    return people.annotate(measures_due=measures_due_q(today))


def with_outcome_evidence(people):
    """Annotate a ServiceUser queryset with ``has_follow_up_measure``: a result
    other than a baseline completed since the person last left the review
    stage (any such result, if they have never been through a review)."""
    left_review = (
        StageChange.objects.filter(service_user=OuterRef("pk"), from_stage=Stage.REVIEW)
        .order_by("-changed_at", "-id")
        .annotate(day=TruncDate("changed_at"))
        .values("day")[:1]
    )
    later = Result.objects.filter(service_user=OuterRef("pk")).exclude(timepoint=Timepoint.BASELINE)
    people = people.annotate(_left_review_on=Subquery(left_review, output_field=DateField()))
    since_review = Exists(later.filter(completed_on__gte=OuterRef("_left_review_on")))
    never_reviewed = Q(_left_review_on__isnull=True) & Exists(later)
    return people.annotate(
        has_follow_up_measure=ExpressionWrapper(
            since_review | never_reviewed, output_field=BooleanField()
        )
    )


def _person_ids(people):
    """Primary keys from a ServiceUser queryset, a queryset of ids, or people/ids."""
    if isinstance(people, QuerySet):
        if people.model is ServiceUser and not people.query.values_select:
            return people.values("pk")
        return people
    return [getattr(person, "pk", person) for person in people]


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def people_with_result_since(people, since=None, *, follow_up_only=True):
    """Primary keys of the ``people`` with a result completed on or after
    ``since``, in one query.

    ``people``: a ServiceUser queryset, a queryset of ids, or people or ids.
    ``since``: a date (or datetime) for everyone, None for "ever", or a dict
    ``{person id: date or None}`` of each person's own date (then only the
    people in the dict count). ``follow_up_only`` (default): baselines do not
    count, so this answers "has a follow-up measure been recorded since…".
    """
    results = Result.objects.filter(service_user_id__in=_person_ids(people))
    if follow_up_only:
        results = results.exclude(timepoint=Timepoint.BASELINE)
    if not isinstance(since, dict):
        since = _as_date(since)
        if since is not None:
            results = results.filter(completed_on__gte=since)
        return set(results.order_by().values_list("service_user_id", flat=True).distinct())
    wanted = {pk: _as_date(day) for pk, day in since.items()}
    latest = (
        results.filter(service_user_id__in=list(wanted))
        .order_by()
        .values("service_user_id")
        .annotate(last=Max("completed_on"))
        .values_list("service_user_id", "last")
    )
    return {pk for pk, last in latest if wanted[pk] is None or last >= wanted[pk]}


def latest_result_dates(people, *, follow_up_only=False):
    """``{person id: date of their latest result}`` for the ``people`` with any, in one query."""
    results = Result.objects.filter(service_user_id__in=_person_ids(people))
    if follow_up_only:
        results = results.exclude(timepoint=Timepoint.BASELINE)
    return dict(
        results.order_by()
        .values("service_user_id")
        .annotate(last=Max("completed_on"))
        .values_list("service_user_id", "last")
    )


# Practice fidelity (workflow.fidelity): figures per person, read grouped for many
# people or as subqueries of the people's own query (core.per_person).

# The date of the person's latest result (whether they have outcome measures at all).
LATEST_RESULT = PerPerson(
    records=lambda: Result.objects.all(),
    person="service_user_id",
    value="completed_on",
    order=("-completed_on", "-id"),
)
# A follow-up measure: a result other than a baseline.
FOLLOW_UP_RESULT = PerPerson(
    records=lambda: Result.objects.exclude(timepoint=Timepoint.BASELINE),
    person="service_user_id",
    order=("pk",),
)


# Team figures ----------------------------------------------------------------------


def shown(number):
    """A count for a team figure: "fewer than 5" below :data:`MIN_PEOPLE`."""
    if number is None:
        return None
    return f"fewer than {MIN_PEOPLE}" if number < MIN_PEOPLE else number


@dataclass
class ScoreFigures:
    """One reported score of one instrument, over the team's pairs (a baseline and
    a later result, both with this score)."""

    instrument: Instrument
    spec: object
    changes: dict = field(default_factory=dict)  # person id: ReliableChange

    @property
    def pairs(self):
        return len(self.changes)

    @property
    def enough(self):
        return self.pairs >= MIN_PEOPLE

    @property
    def median_change(self):
        if not self.changes:
            return None
        return statistics.median(change.change for change in self.changes.values())

    @property
    def with_rci(self):
        return [pk for pk, change in self.changes.items() if change.band is not None]

    @property
    def improved(self):
        return [pk for pk, change in self.changes.items() if change.improved]

    @property
    def deteriorated(self):
        return [pk for pk, change in self.changes.items() if change.deteriorated]

    def share(self, ids):
        rated = len(self.with_rci)
        return len(ids) / rated if rated else None

    @property
    def improved_share(self):
        return self.share(self.improved)

    @property
    def deteriorated_share(self):
        return self.share(self.deteriorated)

    def people(self, which):
        """Person ids behind a figure: ``"pairs"``, ``"improved"`` or ``"deteriorated"``."""
        if which == "pairs":
            return list(self.changes)
        return {"improved": self.improved, "deteriorated": self.deteriorated}.get(which)


DRILL_FIGURES = {
    "pairs": "with a baseline and a later result",
    "improved": "with a reliable improvement",
    "deteriorated": "with a reliable deterioration",
}


def team_outcomes(people):
    """For a ServiceUser queryset (a team, within the access rules; closed cases
    included): per instrument and reported score, the people with both a
    baseline and a later result, their changes and reliable change. Two queries
    whatever the number of people and results. Returns ``[ScoreFigures]`` by
    instrument name, then the instrument's order of scores."""
    rows = (
        Result.objects.filter(service_user__in=_person_ids(people))
        .order_by("service_user_id", "instrument_id", "completed_on", "id")
        .values_list(
            "pk",
            "service_user_id",
            "instrument_id",
            "scoring_version_id",
            "timepoint",
            "completed_on",
            "scores",
        )
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[(row[1], row[2])].append(row)
    if not grouped:
        return []
    version_ids = {row[3] for results in grouped.values() for row in results}
    versions = InstrumentVersion.objects.select_related("instrument").in_bulk(version_ids)
    newest = {}
    for version in versions.values():
        held = newest.get(version.instrument_id)
        if held is None or version.number > held.number:
            newest[version.instrument_id] = version
    figures = {}
    for instrument_id, version in newest.items():
        for spec in version.parsed.headline:
            figures[(instrument_id, spec.key)] = ScoreFigures(version.instrument, spec)
    for (person_id, instrument_id), results in grouped.items():
        baseline = next((r for r in results if r[4] == Timepoint.BASELINE), None)
        if baseline is None:
            continue
        later = [r for r in results if r[0] != baseline[0] and r[5] >= baseline[5]]
        for spec in newest[instrument_id].parsed.headline:
            before = baseline[6].get("scores", {}).get(spec.key)
            after = [r for r in later if r[6].get("scores", {}).get(spec.key) is not None]
            if before is None or not after:
                continue
            latest = after[-1]
            spec_then = versions[latest[3]].parsed.specs.get(spec.key, spec)
            figures[(instrument_id, spec.key)].changes[person_id] = _change(
                spec_then, before, latest[6]["scores"][spec.key]
            )
    # Stable: each instrument's scores stay in the definition's order.
    return sorted(figures.values(), key=lambda f: (f.instrument.name, f.instrument.pk))


def team_people(user, team):
    """Everyone in ``team`` that ``user`` may see, closed cases included."""
    return visible_service_users(user).filter(team=team)


def percent(share):
    return None if share is None else f"{round(share * 100)}%"


def export_cells(figures):
    """One CSV row of team figures: counts and shares only, small numbers hidden.
    Numbers stay numbers (so a spreadsheet reads −3 as minus three)."""
    hidden = shown(0)
    rci = figures.with_rci
    return [
        figures.instrument.name,
        figures.spec.label,
        "higher" if figures.spec.higher_is_better else "lower",
        shown(figures.pairs),
        _csv_number(figures.median_change) if figures.enough else hidden,
        (percent(figures.improved_share) if rci else "no RCI") if figures.enough else hidden,
        (percent(figures.deteriorated_share) if rci else "no RCI") if figures.enough else hidden,
    ]


def _csv_number(value):
    """A number for a spreadsheet: an int when whole, else rounded to 2 places."""
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else round(value, 2)


def team_figure_people(people, *, instrument_code, key, which):
    """The people behind one team figure (a queryset of ``people``), or None
    when the figure is unknown."""
    if which not in DRILL_FIGURES:
        return None, None
    for figures in team_outcomes(people):
        if figures.instrument.code == instrument_code and figures.spec.key == key:
            return people.filter(pk__in=figures.people(which)), figures
    return None, None


__all__ = [
    "TOTAL_KEY",
    "people_with_result_since",
    "latest_result_dates",
    "with_measures_due",
    "with_outcome_evidence",
    "person_outcomes",
    "team_outcomes",
]
