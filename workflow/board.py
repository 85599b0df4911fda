"""The worker's board: their open cases by stage, with flags for what needs
doing next and each card's practice fidelity, and their week.

The board is worked out from the caseload's records, today's date and the
product's settings only, so it is kept (:func:`core.remember.kept_while`)
while none of them has changed: a change to anyone on it, to who is on it, a
new day or new settings and it is worked out again. The ``keep_ahead`` job
(cron, nightly) makes each worker's board ready for the day.
"""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils import timezone

from caseload.data_versions import data_fingerprint
from caseload.stages import Stage
from core.links import person_link
from core.remember import keep_ready, kept_parts_seconds, kept_while

from .facts import FLAG_LABELS, flag_label, people_with_facts
from .fidelity import fidelity_for
from .selectors import my_caseload
from .week import my_week as week_for


def kept_board(user, *, flag="", stage="", ready=False):
    """The board's HTML below its heading, for ``user`` with the filters
    ``flag`` and ``stage`` (already checked), from the kept copy if it still
    holds. With ``ready`` (the ``keep_ahead`` job): only make sure the copy is
    there, and say whether it had to be worked out."""
    caseload = my_caseload(user)
    keep = keep_ready if ready else kept_while
    return keep(
        f"workflow:board:{BOARD_FORMAT}:{user.pk}:{flag}:{stage}",
        # Read before the records it covers (core.remember.kept_while).
        data_fingerprint(caseload, timezone.localdate()),
        lambda: board_body(user, caseload, flag, stage),
        seconds=kept_parts_seconds(),
    )


# Where each flag is cleared: a page of the person's.
FLAG_FIX_URLS = {
    "no_contact": (person_link("caseload:session_create"), "Log a session"),
    "review_due": (person_link("goals:review_create"), "Record a review"),
    "goals_without_levels": (person_link("goals:list"), "Describe goal levels"),
    "no_baseline": (person_link("networks:snapshots"), "Take a baseline snapshot"),
    "measures_due": (person_link("outcomes:list"), "Record a measure"),
}
JOURNEY_URL = person_link("workflow:journey")


# Cards shown in each stage's column; the rest are a link away (the column alone).
BOARD_COLUMN_CARDS = 12


# Bump when the board's body changes shape, so no copy kept by an older release is read.
BOARD_FORMAT = 1


def board_body(user, caseload, chosen_flag, chosen_stage):
    """The board's HTML below its heading: my week, the flag filter and the columns."""
    people = people_with_facts(caseload, evidence=False)
    columns = {
        stage: {"stage": stage, "cards": [], "total": 0}
        for stage in Stage
        if stage != Stage.CLOSED and chosen_stage in ("", stage)
    }
    flag_counts = dict.fromkeys(FLAG_LABELS, 0)
    labels = {code: flag_label(code) for code in FLAG_LABELS}
    for person, facts in people:
        codes = facts.flags(person.stage)
        for code in codes:
            flag_counts[code] += 1
        column = columns.get(person.stage)
        if column is None or (chosen_flag and chosen_flag not in codes):
            continue
        column["total"] += 1
        if chosen_stage or len(column["cards"]) < BOARD_COLUMN_CARDS:
            column["cards"].append(_card(person, codes, labels))
    # Fidelity for the cards shown only: its queries are fixed in number, but
    # each reads less for a dozen people a column than for the whole caseload.
    shown = [card for column in columns.values() for card in column["cards"]]
    if shown:
        fidelities = fidelity_for(
            caseload.filter(pk__in=[card["person"].pk for card in shown]), few=True
        )
        for card in shown:
            card["fidelity"] = fidelities.get(card["person"].pk)
    for column in columns.values():
        column["hidden"] = column["total"] - len(column["cards"])
        if column["hidden"]:
            query = {
                "stage": column["stage"].value,
                **({"flag": chosen_flag} if chosen_flag else {}),
            }
            column["more_url"] = "?" + urlencode(query)
    return render_to_string(
        "workflow/_board.html",
        {
            "columns": list(columns.values()),
            "total": len(people),
            "flag_choices": [(code, labels[code], flag_counts[code]) for code in FLAG_LABELS],
            "chosen_flag": chosen_flag,
            "week": week_for(user, people=[person for person, _facts in people]),
            "chosen_stage": Stage(chosen_stage) if chosen_stage else None,
        },
    )


def _card(person, codes, labels):
    flags = []
    for code in codes:
        link, action = FLAG_FIX_URLS[code]
        flags.append(
            {"code": code, "label": labels[code], "action": action, "url": link.for_person(person)}
        )
    return {
        "person": person,
        "url": JOURNEY_URL.for_person(person),
        "flags": flags,
        "fidelity": None,  # filled in by the board for the cards it shows
    }
