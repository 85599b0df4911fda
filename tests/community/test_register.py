"""A team's register: adding links from the directory or by name, changing them
without losing anyone's edit, flags for lapsed contact, filters and the printable list."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityLink, LinkKind
from community.selectors import months_before
from tests.community.factories import CommunityLinkFactory
from tests.toolkit.factories import OrganizationFactory, ServiceFactory
from toolkit.models import Service

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _add_url(team, **query):
    url = reverse("community:link_add", kwargs={"team_id": team.public_id})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _register(team, **query):
    return reverse("community:team", kwargs={"team_id": team.public_id}), query


def _edit_url(link):
    return reverse(
        "community:link_edit", kwargs={"team_id": link.team.public_id, "link_id": link.public_id}
    )


def _form_data(**overrides):
    data = {
        "kind": "joint_activity",
        "contact_name": "Jo Bright",
        "contact_role": "Community librarian",
        "contact_email": "jo@example.org",
        "contact_phone": "01632 960000",
        "last_contact_on": (TODAY() - datetime.timedelta(days=3)).isoformat(),
        "next_contact_on": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "notes": "Reading group in the back room.",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def library():
    return OrganizationFactory(name="Northfield Library Service")


# Adding ---------------------------------------------------------------------------


def test_the_add_page_finds_directory_organisations_and_their_services(
    client, owner, team_a, library
):
    ServiceFactory(name="Reading group", organization=library)
    ServiceFactory(name="Closed book club", organization=library, status=Service.Status.DEFUNCT)
    client.force_login(owner)
    page = client.get(_add_url(team_a, q="library")).content.decode()
    assert "Link to Northfield Library Service" in page
    assert "Reading group" in page
    assert "Closed book club" not in page  # no longer runs: not offered


def test_a_link_from_a_directory_organisation_keeps_its_name_and_id(client, owner, team_a, library):
    client.force_login(owner)
    form_page = client.get(_add_url(team_a, organisation=library.public_id)).content.decode()
    assert "From the community directory: <strong>Northfield Library Service" in form_page
    assert 'name="name"' not in form_page  # the name comes from the directory
    response = client.post(_add_url(team_a), _form_data(organisation=str(library.public_id)))
    link = CommunityLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == link.get_absolute_url()
    assert (link.team, link.organisation, link.name) == (team_a, library, library.name)
    assert link.organisation_ref == library.public_id
    assert link.created_by == owner
    assert link.kind == LinkKind.JOINT_ACTIVITY


def test_a_link_from_a_service_also_links_its_organisation(client, owner, team_a, library):
    group = ServiceFactory(name="Reading group", organization=library)
    client.force_login(owner)
    client.post(_add_url(team_a), _form_data(service=str(group.public_id)))
    link = CommunityLink.objects.get()
    assert (link.organisation, link.service) == (library, group)
    assert link.display_name == "Northfield Library Service: Reading group"
    assert link.service_ref == group.public_id


def test_an_organisation_not_in_the_directory_is_entered_by_name(client, owner, team_a):
    client.force_login(owner)
    assert 'name="name"' in client.get(_add_url(team_a, manual=1)).content.decode()
    client.post(_add_url(team_a), _form_data(name="Northfield Men's Shed"))
    link = CommunityLink.objects.get()
    assert link.name == "Northfield Men's Shed"
    assert not link.was_listed and not link.no_longer_listed


def test_a_form_without_name_or_kind_shows_the_errors_and_keeps_the_answers(client, owner, team_a):
    client.force_login(owner)
    response = client.post(_add_url(team_a), _form_data(name="", kind="", notes="Keep me"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert 'href="#id_name"' in page and "Enter the organisation’s name." in page
    assert 'href="#id_kind"' in page and "Choose the kind of link." in page
    assert "Keep me" in page
    assert not CommunityLink.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kind", "bogus", "Choose one of the kinds of link listed."),
        ("last_contact_on", "2026-02-30", "Enter a real date, for example 26 November 2026."),
        ("next_contact_on", "soon", "Enter a real date, for example 26 November 2026."),
        ("contact_email", "not-an-email", "Enter an email address like name@example.org."),
        ("notes", "x" * 5001, "Notes can be at most 5,000 characters."),
    ],
)
def test_bad_input_is_a_field_error(client, owner, team_a, field, value, message):
    client.force_login(owner)
    response = client.post(_add_url(team_a), _form_data(name="Group", **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CommunityLink.objects.exists()


def test_last_contact_cannot_be_in_the_future(client, owner, team_a):
    client.force_login(owner)
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(_add_url(team_a), _form_data(name="Group", last_contact_on=tomorrow))
    assert "The last contact must be today or in the past." in response.content.decode()


def test_next_planned_contact_cannot_be_before_the_last(client, owner, team_a):
    client.force_login(owner)
    response = client.post(
        _add_url(team_a),
        _form_data(name="Group", last_contact_on="2026-01-10", next_contact_on="2026-01-09"),
    )
    assert "must be on or after the last contact" in response.content.decode()


def test_sending_the_same_form_twice_adds_one_link(client, owner, team_a):
    client.force_login(owner)
    data = _form_data(name="Group")
    first = client.post(_add_url(team_a), data)
    second = client.post(_add_url(team_a), data, follow=True)
    assert CommunityLink.objects.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "already saved" in second.content.decode()


def test_a_token_of_another_teams_link_is_not_followed(client, owner, team_a, team_b):
    theirs = CommunityLinkFactory(team=team_b, submission_token=uuid.uuid4())
    client.force_login(owner)
    client.post(_add_url(team_a), _form_data(name="Ours", submission_token=theirs.submission_token))
    ours = CommunityLink.objects.get(team=team_a)
    assert ours.name == "Ours" and ours.submission_token is None


def test_a_directory_entry_removed_while_the_form_was_open_is_explained(
    client, owner, team_a, library
):
    client.force_login(owner)
    chosen = str(library.public_id)
    library.delete()
    response = client.post(_add_url(team_a), _form_data(organisation=chosen))
    page = response.content.decode()
    assert "The directory entry you chose is no longer listed" in page
    assert 'name="name"' in page  # they can type the name instead
    assert not CommunityLink.objects.exists()
    client.post(_add_url(team_a), _form_data(organisation=chosen, name="Northfield Library"))
    link = CommunityLink.objects.get()
    assert (link.name, link.organisation, link.was_listed) == ("Northfield Library", None, False)


def test_an_unknown_directory_choice_on_the_add_page_falls_back_to_typing_the_name(
    client, owner, team_a
):
    client.force_login(owner)
    response = client.get(_add_url(team_a, organisation=uuid.uuid4()), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "That directory entry is no longer listed" in page
    assert 'name="name"' in page


# Changing ---------------------------------------------------------------------------


def test_a_colleague_changes_a_link_and_the_version_moves_on(client, colleague, team_a):
    link = CommunityLinkFactory(team=team_a, name="Group")
    client.force_login(colleague)
    data = _form_data(name="Group", version="1", kind="training")
    response = client.post(_edit_url(link), data)
    link.refresh_from_db()
    assert response.status_code == 302
    assert (link.kind, link.version, link.updated_by) == ("training", 2, colleague)


def test_two_people_editing_the_same_link_see_a_conflict_not_a_silent_overwrite(
    client, owner, colleague, team_a
):
    link = CommunityLinkFactory(team=team_a, name="Group", notes="Original")
    client.force_login(owner)
    client.post(_edit_url(link), _form_data(name="Group", version="1", notes="Owner's notes"))
    client.force_login(colleague)
    response = client.post(
        _edit_url(link),
        _form_data(name="Group", version="1", notes="Colleague's notes", kind="training"),
    )
    page = response.content.decode()
    link.refresh_from_db()
    assert response.status_code == 409
    assert link.notes == "Owner's notes"
    assert "Someone else changed the link to Group while you were editing" in page
    # labels, not codes: what was typed beside what is saved
    assert 'data-label="What you typed (not saved)">Training</td>' in page
    assert 'data-label="Saved now">Joint activity</td>' in page
    assert "Colleague&#x27;s notes" in page  # what they typed is still in the form
    assert 'name="version" value="2"' in page
    again = client.post(
        _edit_url(link), _form_data(name="Group", version="2", notes="Colleague's notes")
    )
    link.refresh_from_db()
    assert again.status_code == 302 and link.notes == "Colleague's notes"


def test_an_edit_with_a_malformed_version_is_a_conflict_not_a_500(client, owner, team_a):
    link = CommunityLinkFactory(team=team_a)
    client.force_login(owner)
    response = client.post(_edit_url(link), _form_data(name="Group", version="abc"))
    assert response.status_code == 409
    link.refresh_from_db()
    assert link.version == 1


def test_saving_without_changes_keeps_the_version(client, owner, team_a):
    link = CommunityLinkFactory(team=team_a, name="Group", kind="training")
    client.force_login(owner)
    data = {"name": "Group", "kind": "training", "version": "1"}
    client.post(_edit_url(link), data)
    link.refresh_from_db()
    assert link.version == 1


def test_in_touch_today_renews_a_lapsed_link_and_clears_a_planned_contact_that_was_due(
    client, owner, team_a
):
    link = CommunityLinkFactory(
        team=team_a,
        last_contact_on=TODAY() - datetime.timedelta(days=300),
        next_contact_on=TODAY() - datetime.timedelta(days=2),
    )
    later = CommunityLinkFactory(
        team=team_a,
        last_contact_on=TODAY() - datetime.timedelta(days=300),
        next_contact_on=TODAY() + datetime.timedelta(days=20),
    )
    client.force_login(owner)
    for item in (link, later):
        url = reverse(
            "community:link_contact",
            kwargs={"team_id": team_a.public_id, "link_id": item.public_id},
        )
        assert client.post(url, {"back": "register"})["Location"].endswith(
            f"/community/teams/{team_a.public_id}/"
        )
    link.refresh_from_db()
    later.refresh_from_db()
    assert (link.last_contact_on, link.next_contact_on) == (TODAY(), None)
    assert later.next_contact_on == TODAY() + datetime.timedelta(days=20)


def test_removing_a_link_asks_first(client, owner, team_a):
    link = CommunityLinkFactory(team=team_a, name="Added by mistake")
    url = reverse(
        "community:link_delete", kwargs={"team_id": team_a.public_id, "link_id": link.public_id}
    )
    client.force_login(owner)
    assert "Remove Added by mistake from the register?" in client.get(url).content.decode()
    assert CommunityLink.objects.exists()
    client.post(url)
    assert not CommunityLink.objects.exists()


# Flags, filters and the printable list ------------------------------------------------


def test_links_with_no_contact_in_6_months_are_flagged(client, owner, team_a):
    cutoff = months_before(TODAY(), 6)
    CommunityLinkFactory(team=team_a, name="Lapsed", last_contact_on=cutoff - datetime.timedelta(1))
    CommunityLinkFactory(team=team_a, name="Just in time", last_contact_on=cutoff)
    CommunityLinkFactory(team=team_a, name="Never", last_contact_on=None)
    client.force_login(owner)
    url, _ = _register(team_a)
    rows = {
        row.split("</th>")[0]: row
        for row in client.get(url).content.decode().split("<tr")
        if "</th>" in row
    }
    lapsed = next(row for key, row in rows.items() if "Lapsed" in key)
    on_time = next(row for key, row in rows.items() if "Just in time" in key)
    never = next(row for key, row in rows.items() if "Never" in key)
    assert "No contact in 6 months" in lapsed
    assert "No contact recorded" in never
    assert "⚑" not in on_time


def test_the_register_filters_by_kind_contact_and_words(client, owner, team_a):
    old = TODAY() - datetime.timedelta(days=365)
    CommunityLinkFactory(team=team_a, name="Allotments", kind="volunteering", last_contact_on=old)
    CommunityLinkFactory(
        team=team_a,
        name="Library",
        kind="shared_space",
        last_contact_on=TODAY(),
        next_contact_on=TODAY() - datetime.timedelta(days=1),
        contact_name="Jo Bright",
    )
    client.force_login(owner)
    url, _ = _register(team_a)

    def names(**query):
        page = client.get(url, query).content.decode()
        return {name for name in ("Allotments", "Library") if f">{name}</a>" in page}

    assert names() == {"Allotments", "Library"}
    assert names(kind="volunteering") == {"Allotments"}
    assert names(contact="flagged") == {"Allotments"}
    assert names(contact="recent") == {"Library"}
    assert names(contact="overdue") == {"Library"}
    assert names(q="bright") == {"Library"}
    assert names(kind="bogus", contact="bogus", sort="bogus", page="abc") == {
        "Allotments",
        "Library",
    }


def test_the_register_sorts_by_last_contact_longest_ago_first(client, owner, team_a):
    CommunityLinkFactory(team=team_a, name="Recent", last_contact_on=TODAY())
    CommunityLinkFactory(
        team=team_a, name="Long ago", last_contact_on=TODAY() - datetime.timedelta(400)
    )
    client.force_login(owner)
    url, _ = _register(team_a)
    page = client.get(url, {"sort": "last_contact"}).content.decode()
    assert page.index(">Long ago<") < page.index(">Recent<")


def test_the_printable_list_has_every_matching_link_with_its_flags(client, owner, team_a):
    for n in range(55):  # more than one page of the register
        CommunityLinkFactory(team=team_a, name=f"Group {n:02d}", notes=f"Note {n}")
    client.force_login(owner)
    url = reverse("community:team_print", kwargs={"team_id": team_a.public_id})
    page = client.get(url).content.decode()
    assert "55 links" in page
    assert "Group 00" in page and "Group 54" in page and "Note 54" in page
    assert "⚑ Group 00" in page  # never contacted
    assert "community.css" in page
