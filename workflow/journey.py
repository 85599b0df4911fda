"""The parts of a person's journey page worked out from their records: the
cycle picture, the evidence (checklists and practice fidelity) and the
timeline, rendered as HTML.

The journey as it first opens (no timeline filter, the first events) is kept
while the person's records are unchanged (:func:`kept_journey_parts`): the
same for everyone allowed to see it, since nothing in it depends on who is
looking. It is date-bound only for a closed case (fidelity is shown for
``FIDELITY_CLOSED_DAYS`` after closing). The toolkit's suggestions are not
kept: the page reads them on each visit. The ``keep_journeys`` job (cron,
nightly) keeps the journey of every open case ready.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from caseload.data_versions import fingerprint_of, versions_of
from caseload.kept import data_version_of
from caseload.selectors import as_queryset
from caseload.stages import Stage
from core.links import person_link
from core.remember import keep_ready, kept_fingerprints, kept_parts_seconds, kept_while

from .facts import facts_for_checks, gather_facts
from .fidelity import fidelity_for, person_fidelity, with_links
from .picture import cycle_picture
from .rules import STAGE_HELP, evaluate, next_stage
from .selectors import visited_stages
from .timeline import journey_timeline

TIMELINE_STEP = 50
TIMELINE_MAX = 500
# Bump when the kept parts change shape, so no copy kept by an older release is read.
FORMAT = 1


def _fix_url(check, service_user):
    if not check.fix_url_name:
        return ""
    return person_link(check.fix_url_name).for_person(service_user)


def checklist(stage, facts, service_user):
    if not stage:
        return None
    return {
        "stage": Stage(stage),
        "help": STAGE_HELP[stage],
        "results": [
            {"label": r.label, "present": r.present, "url": _fix_url(r.check, service_user)}
            for r in evaluate(stage, facts)
        ],
    }


def fidelity_context(service_user, fidelity=False):
    """``fidelity``: the person's, already worked out (None for none); otherwise read."""
    if fidelity is False:
        fidelity = person_fidelity(service_user)
    return {
        "fidelity": fidelity,
        "components": with_links(fidelity, service_user) if fidelity else [],
        "closed_days": settings.CONNECTING_PEOPLE["FIDELITY_CLOSED_DAYS"],
    }


def _upcoming(service_user):
    return next_stage(service_user.stage) if service_user.stage != Stage.CLOSED else None


def journey_parts(service_user, *, kinds=None, limit=TIMELINE_STEP, facts=None, fidelity=False):
    """``{"cycle", "evidence", "timeline"}``: HTML of the parts of the journey
    worked out from the person's records (already access-checked). ``facts``
    and ``fidelity``: the person's, when already worked out for many at once."""
    upcoming = _upcoming(service_user)
    if facts is None:
        facts = facts_for_checks(service_user, service_user.stage, upcoming)
    events = journey_timeline(service_user, kinds=kinds, limit=limit + 1)
    context = {
        "person": service_user,
        "cycle": cycle_picture(service_user.stage, visited_stages(service_user)),
        "current": checklist(service_user.stage, facts, service_user),
        "upcoming": checklist(upcoming, facts, service_user),
        "events": events[:limit],
        "has_more": len(events) > limit and limit < TIMELINE_MAX,
        "show_more": limit + TIMELINE_STEP,
        "chosen": kinds or [],
        **fidelity_context(service_user, fidelity),
    }
    return {
        "cycle": render_to_string("workflow/_cycle.svg.html", context),
        "evidence": render_to_string("workflow/_journey_evidence.html", context),
        "timeline": render_to_string("workflow/_journey_timeline.html", context),
    }


def journey_key(service_user):
    return f"workflow:journey:{FORMAT}:{service_user.pk}"


def journey_fingerprint(service_user, versions):
    """What the kept journey of ``service_user`` is worked out from: their
    version (``versions``: ``{pk: version}``) and, for a closed case, the date."""
    today = timezone.localdate() if service_user.stage == Stage.CLOSED else None
    return fingerprint_of({service_user.pk: versions.get(service_user.pk, 0)}, today)


def kept_journey_parts(service_user):
    """:func:`journey_parts` as the journey first opens, from the copy kept
    while the person's records (and, for a closed case, the date) are unchanged."""
    # Read with the person, before the records it covers.
    versions = {service_user.pk: data_version_of(service_user)}
    return kept_while(
        journey_key(service_user),
        journey_fingerprint(service_user, versions),
        lambda: journey_parts(service_user),
        seconds=kept_parts_seconds(),
    )


def keep_journeys_ready(people):
    """Work out and keep the journey of each of ``people`` (fetched through the
    access rules) whose kept copy is missing or out of date, a few hundred at a
    time. Returns how many were worked out."""
    seconds = kept_parts_seconds()
    built = 0
    for start in range(0, len(people), 200):
        batch = people[start : start + 200]
        versions = versions_of(as_queryset(batch))  # before the records they cover
        kept = kept_fingerprints(journey_key(person) for person in batch)
        stale = [p for p in batch if kept.get(journey_key(p)) != journey_fingerprint(p, versions)]
        if not stale:
            continue
        # Evidence and fidelity for the whole batch at once (a few grouped queries).
        facts = gather_facts(stale, evidence=True, flags=False)
        fidelities = fidelity_for(as_queryset(stale))
        for person in stale:
            built += keep_ready(
                journey_key(person),
                journey_fingerprint(person, versions),
                lambda person=person, facts=facts, fidelities=fidelities: journey_parts(
                    person, facts=facts[person.pk], fidelity=fidelities.get(person.pk)
                ),
                seconds=seconds,
            )
    return built
