"""What the outcomes app holds about a person, for the person-data registry
(``caseload.persondata``): every result with its answers and scores. Results
name no third parties, so ``reveal_third_parties`` changes nothing here."""

from .models import Result


def _result(result):
    definition = result.scoring_version.parsed
    scores = result.scores or {}
    specs = definition.specs
    reported = {
        specs[key].label if key in specs else key: value
        for key, value in scores.get("scores", {}).items()
    }
    bands = {
        specs[key].label if key in specs else key: band
        for key, band in scores.get("bands", {}).items()
        if band
    }
    subscales = {
        subscale.label: scores.get("subscales", {}).get(subscale.id)
        for subscale in definition.subscales
    }
    return {
        "measure": result.instrument.name,
        "version": result.scoring_version.number,
        "completed_on": result.completed_on.isoformat(),
        "timepoint": result.get_timepoint_display(),
        "how_it_was_completed": result.get_completed_how_display(),
        "answers": {
            definition.item_heading(item): (
                None
                if result.answers.get(item.id) is None
                else item.label_for(result.answers.get(item.id))
            )
            for item in definition.items
        },
        "scores": reported,
        "bands": bands,
        "subscales": subscales,
        "complete": result.complete,
        "prorated": result.prorated,
        "recorded_by": str(result.recorded_by),
        "recorded_at": result.created_at.isoformat(),
    }


def export_person(service_user, *, reveal_third_parties=False):
    """The person's results, oldest first, as plain data."""
    results = (
        Result.objects.filter(service_user=service_user)
        .select_related("instrument", "scoring_version", "recorded_by")
        .order_by("completed_on", "id")
    )
    return [_result(result) for result in results]


def erase_person(service_user):
    """Delete every result about the person (inside the erasure's transaction)."""
    Result.objects.filter(service_user=service_user).delete()


def erase_people(service_users):
    """:func:`erase_person` for a batch, in one query."""
    Result.objects.filter(service_user__in=[person.pk for person in service_users]).delete()
