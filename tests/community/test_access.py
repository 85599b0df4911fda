"""Who may read and change a team's community register (community/access.py),
checked on every community URL for every persona."""

import pytest
from django.urls import reverse

from community.models import CommunityLink
from tests.accounts.factories import TeamFactory, make_worker
from tests.community.factories import CommunityLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(team_a):
    return CommunityLinkFactory(team=team_a, name="Northfield Library")


def _team_url(name, team):
    return reverse(f"community:{name}", kwargs={"team_id": team.public_id})


def _link_url(name, link):
    return reverse(
        f"community:{name}", kwargs={"team_id": link.team.public_id, "link_id": link.public_id}
    )


def test_index_lists_only_the_agencies_the_user_works_in(client, owner, other_worker, team_a):
    client.force_login(owner)
    response = client.get(reverse("community:index"))
    assert response.status_code == 200
    assert team_a.agency.name in response.content.decode()
    assert other_worker.teams[0].agency.name not in response.content.decode()


def test_index_explains_itself_to_someone_without_a_team(client, curator):
    client.force_login(curator)
    response = client.get(reverse("community:index"))
    assert response.status_code == 200
    assert "You are not in a team" in response.content.decode()


def test_agency_page_for_every_persona(assert_register_access, team_a):
    assert_register_access(
        reverse("community:agency", kwargs={"agency_id": team_a.agency.public_id})
    )


def test_register_and_printable_list_for_every_persona(assert_register_access, team_a, link):
    assert_register_access(_team_url("team", team_a))
    assert_register_access(_team_url("team_print", team_a))


def test_link_page_for_every_persona(assert_register_access, link):
    assert_register_access(_link_url("link", link))


def test_changing_pages_for_every_persona(assert_register_access, team_a, link):
    assert_register_access(_team_url("link_add", team_a), write=True)
    assert_register_access(_link_url("link_edit", link), write=True)
    assert_register_access(_link_url("link_delete", link), write=True)
    assert_register_access(_link_url("link_contact", link), method="post", ok=(302,), write=True)


def test_a_post_from_a_reader_in_the_same_agency_changes_nothing(client, neighbour, link):
    client.force_login(neighbour)
    assert client.post(_link_url("link_delete", link)).status_code == 403
    assert client.post(_link_url("link_contact", link)).status_code == 403
    response = client.post(_team_url("link_add", link.team), {"name": "X", "kind": "training"})
    assert response.status_code == 403
    assert CommunityLink.objects.count() == 1
    link.refresh_from_db()
    assert link.last_contact_on is None


def test_another_teams_link_is_not_found_under_this_team(client, owner, team_a, team_c):
    """Both teams are readable by the owner; a link is only found under its own team."""
    elsewhere = CommunityLinkFactory(team=team_c)
    client.force_login(owner)
    url = reverse(
        "community:link", kwargs={"team_id": team_a.public_id, "link_id": elsewhere.public_id}
    )
    assert client.get(url).status_code == 404
    assert client.get(elsewhere.get_absolute_url()).status_code == 200


def test_a_reader_sees_no_change_buttons(client, neighbour, link):
    client.force_login(neighbour)
    page = client.get(_team_url("team", link.team)).content.decode()
    assert "Add a link" not in page
    assert "In touch today" not in page
    assert "Only the team’s own workers and supervisors change it" in page
    detail = client.get(link.get_absolute_url()).content.decode()
    assert "Change</a>" not in detail


def test_leaving_the_agencys_last_team_ends_read_access(client, team_a, link):
    from accounts.models import TeamMembership

    worker = make_worker(TeamFactory(name="Team D", agency=team_a.agency), username="leaver")
    client.force_login(worker)
    assert client.get(_team_url("team", team_a)).status_code == 200
    TeamMembership.objects.filter(user=worker).delete()
    client.force_login(worker)  # a fresh request reloads memberships
    assert client.get(_team_url("team", team_a)).status_code == 404


def test_an_inactive_user_reads_nothing(team_a, owner):
    from community.access import readable_teams

    assert list(readable_teams(owner)) == [team_a]
    owner.is_active = False
    assert list(readable_teams(owner)) == []


def test_workers_and_supervisors_find_community_links_in_the_navigation(
    client, owner, supervisor, curator
):
    for user, shown in ((owner, True), (supervisor, True), (curator, False)):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("community:index")}"' in page) is shown, user.username
