"""Reads for community registers: querysets with what each page needs, and the
figures the agency report counts, each one aggregate query however many links."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from toolkit.search import clean_query

from .models import CommunityLink, LinkKind

STALE_AFTER_MONTHS = 6

CONTACT_FILTERS = {
    "flagged": "No contact in 6 months",
    "recent": "Contact in the last 6 months",
    "overdue": "Planned contact overdue",
}
SORTS = {
    "name": ("Organisation", ["name", "service_name", "id"]),
    "last_contact": ("Last contact, longest ago first", ["last_contact_on", "name", "id"]),
    "next_contact": ("Next planned contact, soonest first", ["next_contact_on", "name", "id"]),
}


def months_before(day, months):
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def stale_cutoff(today=None):
    """Contact on or after this date counts as "in the last 6 months"."""
    return months_before(today or timezone.localdate(), STALE_AFTER_MONTHS)


def _recent(cutoff, prefix=""):
    return Q(**{f"{prefix}last_contact_on__gte": cutoff})


def _flagged(cutoff, prefix=""):
    """No contact recorded, or none since ``cutoff``: the negation of :func:`_recent`."""
    return Q(**{f"{prefix}last_contact_on__isnull": True}) | Q(
        **{f"{prefix}last_contact_on__lt": cutoff}
    )


def _flag(condition):
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def team_links(team, *, kind="", contact="", text="", sort="name", today=None):
    """The team's links, filtered, each annotated with ``flagged`` (no contact in 6
    months) and ``overdue`` (the next planned contact has passed)."""
    today = today or timezone.localdate()
    cutoff = stale_cutoff(today)
    queryset = CommunityLink.objects.filter(team=team)
    if kind in LinkKind.values:
        queryset = queryset.filter(kind=kind)
    if contact == "flagged":
        queryset = queryset.filter(_flagged(cutoff))
    elif contact == "recent":
        queryset = queryset.filter(_recent(cutoff))
    elif contact == "overdue":
        queryset = queryset.filter(next_contact_on__lt=today)
    for word in clean_query(text).split()[:10]:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(service_name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(service__name__icontains=word)
            | Q(contact_name__icontains=word)
        )
    _label, ordering = SORTS.get(sort, SORTS["name"])
    return (
        queryset.select_related("organisation", "service", "team")
        .annotate(
            flagged=_flag(_flagged(cutoff)),
            overdue=_flag(Q(next_contact_on__lt=today)),
        )
        .order_by(*ordering)
    )


def link_flags(link, *, today=None):
    """(flagged, overdue) for one link, the same rules as :func:`team_links`."""
    today = today or timezone.localdate()
    cutoff = stale_cutoff(today)
    flagged = link.last_contact_on is None or link.last_contact_on < cutoff
    overdue = link.next_contact_on is not None and link.next_contact_on < today
    return flagged, overdue


def team_summaries(teams, *, today=None):
    """``teams`` with ``link_count`` and ``flagged_count``, one query."""
    cutoff = stale_cutoff(today)
    return (
        teams.select_related("agency")
        .annotate(
            link_count=Count("community_links"),
            flagged_count=Count("community_links", filter=_flagged(cutoff, "community_links__")),
        )
        .order_by("agency__name", "name")
    )


# Figures for reports ---------------------------------------------------------


@dataclass(frozen=True)
class LinkFigures:
    """Counts of community links: how many, how many with contact in the last 6
    months, and how many of each kind (every kind present, zeros included)."""

    count: int
    recent: int
    kinds: dict

    @property
    def flagged(self):
        return self.count - self.recent

    @property
    def recent_share(self):
        """Share of links with contact in the last 6 months (None when there are none)."""
        return self.recent / self.count if self.count else None

    @property
    def kind_rows(self):
        return [(LinkKind(code).label, n) for code, n in self.kinds.items()]


GROUPS = {"team": "team_id", "agency": "team__agency_id", "sector": "team__agency__sector"}


def _figure_columns(cutoff):
    columns = {"count": Count("pk"), "recent": Count("pk", filter=_recent(cutoff))}
    for code in LinkKind.values:
        columns[f"kind_{code}"] = Count("pk", filter=Q(kind=code))
    return columns


def _figures(row):
    return LinkFigures(
        count=row["count"],
        recent=row["recent"],
        kinds={code: row[f"kind_{code}"] for code in LinkKind.values},
    )


def link_figures(teams, *, today=None):
    """:class:`LinkFigures` for all links of ``teams`` (a Team queryset or list): one query."""
    row = CommunityLink.objects.filter(team__in=teams).aggregate(
        **_figure_columns(stale_cutoff(today))
    )
    return _figures(row)


def link_figures_by(teams, by, *, today=None):
    """{key: LinkFigures} per team id, agency id or sector code (``by`` is "team",
    "agency" or "sector"), one grouped query. Groups without links are absent."""
    key = GROUPS[by]
    rows = (
        CommunityLink.objects.filter(team__in=teams)
        .values(key)
        .annotate(**_figure_columns(stale_cutoff(today)))
        .order_by(key)
    )
    return {row[key]: _figures(row) for row in rows}
