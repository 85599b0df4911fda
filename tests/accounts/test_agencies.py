"""Agencies above teams: every team belongs to one, existing teams were given a
default one by migration, and administrators manage them."""

from io import StringIO

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError
from django.urls import reverse

from accounts import demo
from accounts.models import STATUTORY_SECTORS, THIRD_SECTORS, Agency, Team
from tests.accounts.factories import AgencyFactory, TeamFactory


@pytest.mark.django_db
def test_the_sector_groups_compare_statutory_with_third_sector_agencies():
    assert AgencyFactory(sector=Agency.Sector.NHS_MENTAL_HEALTH).sector_group == "statutory"
    assert AgencyFactory(sector=Agency.Sector.LOCAL_AUTHORITY).sector_group == "statutory"
    assert AgencyFactory(sector=Agency.Sector.HOUSING_ASSOCIATION).sector_group == "third sector"
    assert AgencyFactory(sector=Agency.Sector.OTHER).sector_group == "other"
    assert not STATUTORY_SECTORS & THIRD_SECTORS


@pytest.mark.django_db
def test_an_agency_with_teams_cannot_be_deleted(team_a):
    with pytest.raises(ProtectedError):
        team_a.agency.delete()


@pytest.mark.django_db
def test_a_users_agencies_come_from_their_teams(owner, supervisor, curator, team_a):
    assert owner.agency_ids == {team_a.agency_id}
    assert supervisor.member_team_ids == {team_a.pk}
    assert curator.agency_ids == set()


@pytest.mark.django_db(transaction=True)
def test_teams_that_existed_before_agencies_join_a_default_agency():
    executor = MigrationExecutor(connection)
    before = [("accounts", "0005_agencies")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldTeam = old_apps.get_model("accounts", "Team")
    OldTeam.objects.create(name="North", public_id="6a3c1a5e-0000-4000-8000-000000000001")
    OldTeam.objects.create(name="South", public_id="6a3c1a5e-0000-4000-8000-000000000002")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    agency = Agency.objects.get()
    assert agency.name == "Default agency" and agency.sector == Agency.Sector.OTHER
    assert set(Team.objects.values_list("agency", flat=True)) == {agency.pk}


@pytest.mark.django_db
def test_demo_has_a_statutory_and_a_third_sector_agency_with_the_teams_spread_over_them():
    out = StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)
    groups = {agency.sector_group: agency for agency in Agency.objects.all()}
    assert set(groups) == {"statutory", "third sector"}
    assert Agency.objects.count() == 2
    for agency in groups.values():
        assert agency.teams.exists()
    assert "Accounts: 2 agencies, 2 teams, 6 demo users." in out.getvalue()


@pytest.mark.django_db
def test_administrators_manage_agencies_and_the_team_agency_link(client, admin_user, team_a):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_agency_changelist")).status_code == 200
    page = client.get(reverse("admin:accounts_agency_change", args=[team_a.agency.pk]))
    assert page.status_code == 200
    assert team_a.name in page.content.decode()
    team_page = client.get(reverse("admin:accounts_team_change", args=[team_a.pk]))
    assert 'name="agency"' in team_page.content.decode()

    other = AgencyFactory(name="Riverside Community Trust", sector=Agency.Sector.VOLUNTARY)
    response = client.post(
        reverse("admin:accounts_team_change", args=[team_a.pk]),
        {
            "name": team_a.name,
            "description": "",
            "agency": other.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert team_a.agency == other


@pytest.mark.django_db
def test_workers_cannot_open_the_agency_admin(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:accounts_agency_changelist"))
    assert response.status_code == 302  # to the admin sign-in


@pytest.mark.django_db
def test_a_new_team_in_an_agency(db):
    agency = AgencyFactory(name="Borough council", sector=Agency.Sector.LOCAL_AUTHORITY)
    team = TeamFactory(name="Reablement", agency=agency)
    assert list(agency.teams.all()) == [team]
