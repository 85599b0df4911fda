"""The register's date rule and the figures the agency report will count, checked
against counts done independently in SQL."""

import datetime
import random

import pytest
from django.db import connection

from accounts.models import Agency, Team
from community.models import LinkKind
from community.selectors import (
    link_figures,
    link_figures_by,
    months_before,
    stale_cutoff,
    team_links,
)
from tests.accounts.factories import AgencyFactory, TeamFactory
from tests.community.factories import CommunityLinkFactory

TODAY = datetime.date(2026, 11, 26)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (datetime.date(2026, 11, 26), 6, datetime.date(2026, 5, 26)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 8, 31), 6, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 15), 6, datetime.date(2025, 9, 15)),
        (datetime.date(2026, 1, 1), 12, datetime.date(2025, 1, 1)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


@pytest.mark.django_db
def test_contact_exactly_6_months_ago_still_counts_as_recent(team_a):
    cutoff = stale_cutoff(TODAY)
    CommunityLinkFactory(team=team_a, name="On the day", last_contact_on=cutoff)
    CommunityLinkFactory(
        team=team_a, name="A day late", last_contact_on=cutoff - datetime.timedelta(1)
    )
    flags = {link.name: link.flagged for link in team_links(team_a, today=TODAY)}
    assert flags == {"On the day": False, "A day late": True}
    assert link_figures([team_a], today=TODAY).recent == 1


@pytest.fixture
def spread_of_links(db):
    """Links across four teams in three agencies of two sectors, random kinds and dates."""
    rng = random.Random(14)
    nhs = AgencyFactory(name="Trust", sector=Agency.Sector.NHS_MENTAL_HEALTH)
    charity = AgencyFactory(name="Charity", sector=Agency.Sector.VOLUNTARY)
    housing = AgencyFactory(name="Homes", sector=Agency.Sector.VOLUNTARY)
    teams = [
        TeamFactory(name="T1", agency=nhs),
        TeamFactory(name="T2", agency=nhs),
        TeamFactory(name="T3", agency=charity),
        TeamFactory(name="T4", agency=housing),
    ]
    for _ in range(120):
        days = rng.choice([None, *range(0, 500, 7)])
        CommunityLinkFactory(
            team=rng.choice(teams),
            kind=rng.choice(LinkKind.values),
            last_contact_on=None if days is None else TODAY - datetime.timedelta(days=days),
        )
    return teams


def _sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


LINKS_OF = """
    FROM community_communitylink l
    JOIN accounts_team t ON t.id = l.team_id
    JOIN accounts_agency a ON a.id = t.agency_id
"""


@pytest.mark.django_db
def test_link_figures_match_an_independent_count(spread_of_links):
    cutoff = stale_cutoff(TODAY)
    ((count,),) = _sql(f"SELECT COUNT(*) {LINKS_OF}")  # noqa: S608 - constant SQL
    ((recent,),) = _sql(f"SELECT COUNT(*) {LINKS_OF} WHERE l.last_contact_on >= %s", [cutoff])  # noqa: S608
    kinds = dict(_sql(f"SELECT l.kind, COUNT(*) {LINKS_OF} GROUP BY l.kind"))  # noqa: S608

    figures = link_figures(Team.objects.all(), today=TODAY)
    assert (figures.count, figures.recent) == (count, recent) == (120, recent)
    assert 0 < recent < count
    assert {k: n for k, n in figures.kinds.items() if n} == kinds
    assert list(figures.kinds) == LinkKind.values  # every kind, zeros included
    assert figures.recent_share == pytest.approx(recent / count)
    assert figures.flagged == count - recent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "by, column", [("agency", "a.id"), ("sector", "a.sector"), ("team", "t.id")]
)
def test_grouped_link_figures_match_an_independent_count(spread_of_links, by, column):
    cutoff = stale_cutoff(TODAY)
    expected = {
        key: (count, recent)
        for key, count, recent in _sql(
            f"SELECT {column}, COUNT(*), "  # noqa: S608 - constant SQL
            "SUM(CASE WHEN l.last_contact_on >= %s THEN 1 ELSE 0 END) "
            f"{LINKS_OF} GROUP BY {column}",
            [cutoff],
        )
    }
    kinds = {}
    for key, kind, n in _sql(
        f"SELECT {column}, l.kind, COUNT(*) {LINKS_OF} GROUP BY {column}, l.kind"
    ):  # noqa: S608
        kinds.setdefault(key, {})[kind] = n

    figures = link_figures_by(Team.objects.all(), by, today=TODAY)
    assert {key: (f.count, f.recent) for key, f in figures.items()} == expected
    assert {key: {k: n for k, n in f.kinds.items() if n} for key, f in figures.items()} == kinds
    assert len(figures) == {"agency": 3, "sector": 2, "team": 4}[by]


@pytest.mark.django_db
def test_figures_only_count_the_teams_given(spread_of_links):
    first, second = spread_of_links[:2]
    both = link_figures([first, second], today=TODAY)
    one = link_figures(Team.objects.filter(pk=first.pk), today=TODAY)
    other = link_figures([second], today=TODAY)
    assert both.count == one.count + other.count
    assert link_figures([], today=TODAY).recent_share is None


@pytest.mark.django_db
def test_figures_take_one_query_however_many_links(spread_of_links, django_assert_num_queries):
    teams = Team.objects.all()
    with django_assert_num_queries(1):
        link_figures(teams, today=TODAY)
    with django_assert_num_queries(1):
        link_figures_by(teams, "agency", today=TODAY)
    for _ in range(200):
        CommunityLinkFactory(team=spread_of_links[0])
    with django_assert_num_queries(1):
        link_figures(teams, today=TODAY)
    with django_assert_num_queries(1):
        link_figures_by(teams, "sector", today=TODAY)
