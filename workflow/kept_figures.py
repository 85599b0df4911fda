"""The supervisor dashboard's counted figures for a team: counted with the
aggregate queries of :mod:`workflow.dashboard` and practice fidelity, kept in
the shared cache for ``CP_DASHBOARD_FIGURES_SECONDS`` (``core/remember.py``),
and counted ahead by the ``count_dashboards`` cron job, so that supervisors
read a kept copy instead of waiting for a large team to be counted.
"""

from django.conf import settings
from django.template.loader import render_to_string

from accounts.selectors import supervision_pairs
from core.remember import remember
from outcomes.selectors import team_outcomes

from . import dashboard as figures
from .fidelity import team_fidelity

# Bump when what count_team_figures returns changes shape, so no instance reads
# a copy kept by an older release.
FORMAT = 4


def kept_seconds():
    return settings.CONNECTING_PEOPLE["DASHBOARD_FIGURES_SECONDS"]


def chart(rows):
    return {
        "rows": rows,
        "maximum": max([value for _, value in rows] + [1]),
        "height": len(rows) * 28 + 8,
    }


FIGURES_TEMPLATE = "workflow/_dashboard_figures.html"


def count_team_figures(user, team, *, html=True):
    """Every counted figure on the dashboard for ``team``, as ``user`` sees it:
    plain values only, so that they can be kept in the shared cache. With
    ``html``, also the figures' part of the page, rendered once here, so that a
    visit reading a kept copy does not render those tables and charts again."""
    people = figures.team_people(user, team)
    per_person = figures.person_figures(people)
    workers = figures.worker_rows(team, people, per_person)
    by_stage = figures.people_by_stage(people)
    values = {
        "stage_chart": chart([(stage.label, count) for stage, count in by_stage]),
        "caseload_chart": chart([(str(row.worker), row.caseload) for row in workers]),
        "workers": workers,
        "by_stage": by_stage,
        "stages": [stage for stage, _ in by_stage],
        "days_in_stage": figures.median_days_in_stage(people),
        "open_total": sum(count for _, count in by_stage),
        "outcomes": figures.team_outcomes(people, per_person),
        "measures": team_outcomes(people),
        "overdue_total": sum(row.overdue_reviews for row in workers),
        "fidelity": team_fidelity(team, people),
    }
    if html:
        values["html"] = render_to_string(
            FIGURES_TEMPLATE,
            {
                **values,
                "team": team,
                "no_contact_days": figures.no_contact_days(),
                "review_weeks": settings.CONNECTING_PEOPLE["REVIEW_INTERVAL_WEEKS"],
            },
        )
    return values


def team_figures(user, team, *, seconds, recount=False, copy_as_of=None, html=True):
    """The figures for ``team`` as ``user`` sees them, as a
    :class:`core.remember.Remembered`: a kept copy younger than ``seconds``, or
    counted now (and kept). ``seconds`` of 0 counts every time (the CSV, which
    needs no ``html``)."""
    if seconds > 0 and not html:
        raise ValueError("A kept copy always holds the figures' HTML.")
    return remember(
        f"workflow:dashboard:{FORMAT}:{user.pk}:{team.pk}",
        lambda: count_team_figures(user, team, html=html),
        seconds=seconds,
        recount=recount,
        copy_as_of=copy_as_of,
    )


def count_ahead():
    """Count and keep the figures of every active supervisor for each team they
    supervise (the ``count_dashboards`` cron job). Returns how many were counted."""
    seconds = kept_seconds()
    if seconds <= 0:
        return 0
    pairs = supervision_pairs()
    for user, team in pairs:
        team_figures(user, team, seconds=seconds, recount=True)
    return len(pairs)
