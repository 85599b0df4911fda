"""The agency report (issue 14, part 5): per agency and per sector, practice
fidelity bands, community links, and people who tried a community opportunity.

Aggregates only: no one is named or listed, and every count of people under 5
reads "fewer than 5" (``outcomes.selectors.shown``). Link counts are about
organisations, not people, and are shown as they are.

Who sees what (README, "Agency report"): an administrator sees every agency; a
supervisor sees the agencies of the teams they supervise, each counted over all
of its teams (aggregates only), and the sector rows over those agencies. Any
other agency: 404.

Queries: the agencies, their teams, practice fidelity's fixed number over all
their people (``workflow.fidelity``), and one grouped query for the links per
grouping, whatever the number of agencies, teams and people.
"""

from dataclasses import dataclass, field

from django.http import Http404

from accounts import selectors as accounts
from caseload.selectors import people_in_teams
from community.selectors import LinkFigures, link_figures_by
from outcomes.selectors import MIN_PEOPLE, shown

from .fidelity import Distribution, fidelity_for

EMPTY_LINKS = LinkFigures(count=0, recent=0, kinds={})
SECTOR_GROUPS = {"statutory": "Statutory", "third sector": "Third sector", "other": "Other"}


@dataclass
class ReportRow:
    """One agency, team or sector: its figures, with counts of people as shown."""

    label: str
    key: object
    bands: Distribution = field(default_factory=Distribution)
    tried: int = 0
    links: LinkFigures = EMPTY_LINKS
    agency: object = None
    sector: str = ""

    @property
    def people(self):
        """People counted: open cases and those closed in the last year."""
        return self.bands.counted + self.bands.not_yet

    @property
    def people_shown(self):
        return shown(self.people)

    @property
    def counted_shown(self):
        return shown(self.bands.counted)

    @property
    def high_shown(self):
        return shown(self.bands.high)

    @property
    def low_shown(self):
        return shown(self.bands.low)

    @property
    def tried_shown(self):
        return shown(self.tried)

    @property
    def high_percent(self):
        bands = self.bands
        if bands.high < MIN_PEOPLE or bands.low < MIN_PEOPLE:
            return None
        return round(100 * bands.high / bands.counted)

    @property
    def tried_percent(self):
        if self.tried < MIN_PEOPLE or self.people - self.tried < MIN_PEOPLE:
            return None
        return round(100 * self.tried / self.people)

    @property
    def recent_percent(self):
        share = self.links.recent_share
        return None if share is None else round(share * 100)

    @property
    def kind_rows(self):
        return [(label, n) for label, n in self.links.kind_rows if n]


def _add(row, fidelity):
    row.bands.add(fidelity)
    if fidelity.has("opportunity_tried"):
        row.tried += 1


@dataclass
class AgencyReport:
    agencies: list  # [ReportRow] per agency
    sectors: list  # [ReportRow] per sector present
    groups: list  # [ReportRow] statutory / third sector / other
    teams: list  # [ReportRow] per team (the agency page)


def agency_report(agencies, *, today=None):
    """An :class:`AgencyReport` for ``agencies`` (an Agency queryset the user may read)."""
    agencies = list(agencies)
    teams = list(accounts.agency_teams(agencies))
    team_ids = [team.pk for team in teams]
    fidelities = fidelity_for(people_in_teams(team_ids), today=today) if teams else {}
    agency_of_team = {team.pk: team.agency for team in teams}

    by_agency = {
        agency.pk: ReportRow(str(agency), agency.pk, agency=agency, sector=agency.sector)
        for agency in agencies
    }
    by_team = {
        team.pk: ReportRow(str(team), team.pk, agency=team.agency, sector=team.agency.sector)
        for team in teams
    }
    sector_labels = dict(accounts.sector_choices())
    present_sectors = sorted({agency.sector for agency in agencies}, key=list(sector_labels).index)
    by_sector = {
        code: ReportRow(sector_labels[code], code, sector=code) for code in present_sectors
    }
    by_group = {}
    for agency in agencies:
        group = agency.sector_group
        by_group.setdefault(group, ReportRow(SECTOR_GROUPS[group], group))
    for fidelity in fidelities.values():
        agency = agency_of_team[fidelity.team_id]
        for row in (
            by_team[fidelity.team_id],
            by_agency[agency.pk],
            by_sector[agency.sector],
            by_group[agency.sector_group],
        ):
            _add(row, fidelity)
    if teams:
        for key, figures in link_figures_by(teams, "team", today=today).items():
            by_team[key].links = figures
        for key, figures in link_figures_by(teams, "agency", today=today).items():
            by_agency[key].links = figures
        for key, figures in link_figures_by(teams, "sector", today=today).items():
            by_sector[key].links = figures
        group_links = {}
        for agency in agencies:
            figures = by_agency[agency.pk].links
            held = group_links.get(agency.sector_group, EMPTY_LINKS)
            group_links[agency.sector_group] = LinkFigures(
                count=held.count + figures.count,
                recent=held.recent + figures.recent,
                kinds={
                    code: held.kinds.get(code, 0) + figures.kinds.get(code, 0)
                    for code in set(held.kinds) | set(figures.kinds)
                },
            )
        for group, figures in group_links.items():
            by_group[group].links = figures
    return AgencyReport(
        agencies=list(by_agency.values()),
        sectors=list(by_sector.values()),
        groups=[by_group[g] for g in SECTOR_GROUPS if g in by_group],
        teams=list(by_team.values()),
    )


def report_agencies(user):
    return accounts.report_agencies(user)


def report_agency(user, public_id):
    agency = accounts.report_agency(user, public_id)
    if agency is None:
        raise Http404("No such agency")
    return agency


def export_rows(report):
    """The counts-only CSV: one row per agency, sector and sector group."""
    header = [
        "level",
        "name",
        "sector",
        "people counted",
        "people with components due",
        "high fidelity",
        "low or moderate fidelity",
        "tried a community opportunity",
        "community links",
        "links with contact in the last 6 months",
    ]
    rows = [header]
    sector_labels = dict(accounts.sector_choices())
    for level, items in (
        ("agency", report.agencies),
        ("sector", report.sectors),
        ("sector group", report.groups),
    ):
        for row in items:
            rows.append(
                [
                    level,
                    row.label,
                    sector_labels.get(row.sector, ""),
                    row.people_shown,
                    row.counted_shown,
                    row.high_shown,
                    row.low_shown,
                    row.tried_shown,
                    row.links.count,
                    row.links.recent,
                ]
            )
    return rows
