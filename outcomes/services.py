"""Changes to instruments and results. Views validate forms, then call these.

Every change to a person's results is audited (field names only, never the answers).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from caseload.audit import Action, audit_record
from core.conflicts import StaleEdit, save_if_current
from core.idempotency import create_once

from . import definitions, scoring
from .models import Instrument, InstrumentVersion, Result, Timepoint

CREATED, NEW_VERSION, UNCHANGED, REINSTATED = "created", "new version", "unchanged", "reinstated"


def instrument_load(*, data, source_name="", by=None, licence_holder=None, shipped=False):
    """Store the definition ``data`` (parsed JSON) as an instrument version.

    Refused as a whole (:class:`outcomes.definitions.DefinitionError`, saying
    where) when it fails the schema or the checks after it. A new code creates
    the instrument; a changed definition of a known code adds the next version,
    which new results use (results already recorded keep theirs); the same
    definition again changes nothing, or makes that earlier version current again
    (not for ``shipped`` files, which never undo a version an agency loaded).
    ``licence_holder`` is written into the definition's licence.

    Returns ``(instrument, version, status)``, status one of ``"created"``,
    ``"new version"``, ``"unchanged"``, ``"reinstated"``.
    """
    if licence_holder is not None and isinstance(data, dict):
        licence = data.get("licence")
        if isinstance(licence, dict):
            data = {**data, "licence": {**licence, "holder": licence_holder.strip()}}
    definition = definitions.build(data, source=source_name)
    digest = definitions.checksum(data)
    with transaction.atomic():
        instrument = Instrument.objects.select_for_update().filter(code=definition.code).first()
        if instrument is None:
            instrument = Instrument.objects.create(
                code=definition.code,
                name=definition.name,
                follow_up_months=definition.follow_up_months or 6,
                shipped=shipped,
            )
        else:
            existing = instrument.versions.filter(checksum=digest).first()
            if existing is not None:
                if shipped or existing.pk == instrument.current_version_id:
                    return instrument, existing, UNCHANGED
                instrument.current_version = existing
                instrument.name = existing.parsed.name
                instrument.save(update_fields=["current_version", "name", "updated_at"])
                return instrument, existing, REINSTATED
        number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            number=number,
            definition=data,
            checksum=digest,
            licence_holder=definition.licence_holder,
            source_name=source_name[:255],
            loaded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        instrument.current_version = version
        instrument.name = definition.name
        instrument.save(update_fields=["current_version", "name", "updated_at"])
    return instrument, version, CREATED if number == 1 else NEW_VERSION


def instrument_load_file(path, *, by=None, licence_holder=None, shipped=False):
    """:func:`instrument_load` of the JSON file at ``path``."""
    path = Path(path)
    data = definitions.read_file(path)
    return instrument_load(
        data=data, source_name=path.name, by=by, licence_holder=licence_holder, shipped=shipped
    )


def load_shipped_instruments():
    """Load the open instruments that ship with the app (a new version when a
    release changed one). Runs after every ``migrate``."""
    return [instrument_load_file(path, shipped=True) for path in definitions.shipped_paths()]


def _scored(version, answers):
    outcome = scoring.score(version.parsed, answers)
    return {
        "answers": scoring.read_answers(version.parsed, answers),
        "scores": outcome.as_dict(),
        "total": outcome.total,
        "complete": outcome.complete,
        "prorated": outcome.prorated,
    }, outcome


BASELINE_TAKEN = "{name} already has a baseline for {instrument}. Choose another timepoint."


def _baseline_taken(service_user, instrument):
    return ValidationError(
        {
            "timepoint": BASELINE_TAKEN.format(
                name=service_user.preferred_name, instrument=instrument.name
            )
        }
    )


def result_create(
    *, service_user, instrument, by, values, answers, submission_token=None, request=None
):
    """Record a completed measure for the person, scored with the instrument's
    current version. ``values``: completed_on, timepoint, completed_how.
    ``answers``: ``{item id: option value or None}``. A repeated
    ``submission_token`` returns the result the first submission saved.
    Returns ``(result, created)``; a second baseline raises ``ValidationError``."""
    version = instrument.current_version

    def build(token):
        if (
            values.get("timepoint") == Timepoint.BASELINE
            and Result.objects.filter(
                service_user=service_user, instrument=instrument, timepoint=Timepoint.BASELINE
            ).exists()
        ):
            raise _baseline_taken(service_user, instrument)
        stored, _outcome = _scored(version, answers)
        try:
            result = Result.objects.create(
                service_user=service_user,
                instrument=instrument,
                scoring_version=version,
                recorded_by=by,
                submission_token=token,
                **values,
                **stored,
            )
        except IntegrityError:
            # A baseline saved meanwhile, or this very form saved meanwhile
            # (create_once then finds it by its token).
            raise _baseline_taken(service_user, instrument) from None
        audit_record(
            actor=by,
            action=Action.CREATE,
            service_user=service_user,
            obj=result,
            fields=[*values, "answers"],
            request=request,
            detail=f"instrument {instrument.code}",
        )
        return result

    return create_once(
        Result,
        belongs=lambda result: result.service_user_id == service_user.pk,
        submission_token=submission_token,
        build=build,
    )


@transaction.atomic
def result_update(*, result, by, values, answers, expected_version, request=None):
    """Save changes to a result unless someone saved it since ``expected_version``
    (then :class:`core.conflicts.StaleEdit`, nothing changed). It is scored again
    with the version it was recorded with, never a later one."""
    stored = Result.objects.select_related("service_user", "instrument", "scoring_version").get(
        pk=result.pk
    )
    new, _outcome = _scored(stored.scoring_version, answers)
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    if new["answers"] != stored.answers:
        changed.append("answers")
    if not changed:
        if stored.version != expected_version:
            raise StaleEdit(stored)
        return stored
    if (
        values.get("timepoint") == Timepoint.BASELINE
        and Result.objects.filter(
            service_user=stored.service_user,
            instrument=stored.instrument,
            timepoint=Timepoint.BASELINE,
        )
        .exclude(pk=stored.pk)
        .exists()
    ):
        raise _baseline_taken(stored.service_user, stored.instrument)
    update = {**values, **new}
    try:
        with transaction.atomic():
            stored.version = save_if_current(
                Result, pk=stored.pk, version=expected_version, values=update
            )
    except IntegrityError:
        raise _baseline_taken(stored.service_user, stored.instrument) from None
    for name, value in update.items():
        setattr(stored, name, value)
    audit_record(
        actor=by,
        action=Action.UPDATE,
        service_user=stored.service_user,
        obj=stored,
        fields=changed,
        request=request,
    )
    return stored


@transaction.atomic
def result_delete(*, result, by, request=None):
    """Remove a result recorded in error (the team's supervisor)."""
    audit_record(
        actor=by,
        action=Action.DELETE,
        service_user=result.service_user,
        obj=result,
        request=request,
        detail=f"instrument {result.instrument.code}",
    )
    result.delete()


SCORE_FIELDS = ("scores", "total", "complete", "prorated")


def results_rescore(results=None, *, write=False, batch_size=2000):
    """Score stored results again, each with the version it was recorded with,
    in one pass: each version's definition is read once, results are read in
    batches of plain values. Returns ``(checked, differing)``; with ``write``
    the differing ones are saved (audited as a system change)."""
    queryset = Result.objects.all() if results is None else results
    versions = {}
    checked = 0
    differing = []
    rows = queryset.order_by("pk").values_list("pk", "scoring_version_id", "answers", *SCORE_FIELDS)
    for pk, version_id, answers, *stored in rows.iterator(chunk_size=batch_size):
        definition = versions.get(version_id)
        if definition is None:
            version = InstrumentVersion.objects.only("definition", "checksum").get(pk=version_id)
            definition = versions[version_id] = version.parsed
        outcome = scoring.score(definition, answers)
        fresh = (outcome.as_dict(), outcome.total, outcome.complete, outcome.prorated)
        checked += 1
        if list(fresh) != stored:
            differing.append((pk, fresh))
    if write and differing:
        with transaction.atomic():
            changed = Result.objects.select_related("service_user").in_bulk(
                [pk for pk, _fresh in differing]
            )
            for pk, fresh in differing:
                for name, value in zip(SCORE_FIELDS, fresh, strict=True):
                    setattr(changed[pk], name, value)
            Result.objects.bulk_update(list(changed.values()), SCORE_FIELDS, batch_size=500)
            for result in changed.values():
                audit_record(
                    actor=None,
                    action=Action.UPDATE,
                    service_user=result.service_user,
                    obj=result,
                    fields=list(SCORE_FIELDS),
                    detail="scored again",
                )
    return checked, len(differing)
