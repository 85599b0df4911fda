"""The caseload list: who is on it, search, filters, sorting, paging, speed."""

import datetime
import re

import pytest
from django.utils import timezone

from caseload.models import ServiceUser
from tests.accounts.factories import make_worker
from tests.caseload.factories import ServiceUserFactory

URL = "/people/"


def names(response):
    return re.findall(
        r'<th scope="row"><a href="/people/[0-9a-f-]+/">([^<]+)</a>', response.content.decode()
    )


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def caseload(team_a, team_b, owner, colleague, other_worker):
    """A small team: two of owner's people, one of colleague's, one in team B."""
    return {
        "amy": ServiceUserFactory(
            team=team_a,
            allocated_worker=owner,
            preferred_name="Amy",
            reference="CP-100",
            stage="connect",
            last_contact_on=days_ago(2),
            next_contact_on=days_ago(-5),
        ),
        "bob": ServiceUserFactory(
            team=team_a,
            allocated_worker=owner,
            preferred_name="Bob",
            stage="plan",
            last_contact_on=days_ago(40),
            referral_date=days_ago(100),
        ),
        "cal": ServiceUserFactory(
            team=team_a,
            allocated_worker=colleague,
            preferred_name="Cal",
            stage="referral",
            status="referred",
            referral_date=days_ago(3),
        ),
        "dee": ServiceUserFactory(team=team_b, allocated_worker=other_worker, preferred_name="Dee"),
    }


def test_worker_sees_my_caseload_only(client_for, owner, caseload):
    response = client_for(owner).get(URL)
    assert "My caseload" in response.content.decode()
    assert names(response) == ["Amy", "Bob"]


def test_co_worker_sees_the_people_they_co_work(client_for, colleague, caseload):
    caseload["amy"].co_workers.add(colleague)
    assert names(client_for(colleague).get(URL)) == ["Amy", "Cal"]


def test_supervisor_sees_their_teams_caseload(client_for, supervisor, caseload):
    response = client_for(supervisor).get(URL)
    assert "Team caseload" in response.content.decode()
    assert names(response) == ["Amy", "Bob", "Cal"]


@pytest.mark.parametrize("name", ["curator", "admin"])
def test_users_without_a_team_role_get_403(client_for, personas, name):
    assert client_for(personas[name]).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=amy", ["Amy"]),
        ("q=cp-100", ["Amy"]),
        ("q=example", ["Amy", "Bob", "Cal"]),  # full names
        ("stage=plan", ["Bob"]),
        ("status=referred", ["Cal"]),
        ("no_contact=on", ["Bob"]),
        ("stage=not-a-stage", ["Amy", "Bob", "Cal"]),  # bad filter values are ignored
        ("worker=999999", ["Amy", "Bob", "Cal"]),
        ("sort=-name", ["Cal", "Bob", "Amy"]),
        ("sort=stage", ["Cal", "Bob", "Amy"]),
        ("sort=last_contact", ["Bob", "Amy", "Cal"]),
        ("sort=-last_contact", ["Amy", "Bob", "Cal"]),
        ("sort=next_contact", ["Amy", "Bob", "Cal"]),
        ("sort=rubbish", ["Amy", "Bob", "Cal"]),
    ],
)
def test_supervisor_searches_filters_and_sorts(client_for, supervisor, caseload, query, expected):
    response = client_for(supervisor).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_filter_by_worker(client_for, supervisor, colleague, caseload):
    assert names(client_for(supervisor).get(f"{URL}?worker={colleague.pk}")) == ["Cal"]


def test_closed_cases_are_hidden_unless_asked_for(client_for, owner, caseload):
    ServiceUser.objects.filter(pk=caseload["bob"].pk).update(status="closed", stage="closed")
    client = client_for(owner)
    assert names(client.get(URL)) == ["Amy"]
    assert names(client.get(f"{URL}?status=all")) == ["Amy", "Bob"]
    assert names(client.get(f"{URL}?status=closed")) == ["Bob"]


def test_no_contact_flag_counts_never_contacted_people_referred_long_ago(
    client_for, supervisor, caseload
):
    ServiceUser.objects.filter(pk=caseload["cal"].pk).update(referral_date=days_ago(29))
    assert names(client_for(supervisor).get(f"{URL}?no_contact=on")) == ["Bob", "Cal"]


def test_sort_headers_say_which_column_is_sorted(client_for, owner, caseload):
    html = client_for(owner).get(f"{URL}?sort=-last_contact").content.decode()
    assert 'aria-sort="descending"' in html
    assert "?sort=last_contact" in html  # the active column's link flips the direction


def test_list_pages_25_at_a_time_keeping_filters(client_for, owner, team_a):
    for n in range(30):
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=f"Person {n:02d}")
    client = client_for(owner)
    first = client.get(f"{URL}?q=person")
    assert len(names(first)) == 25
    html = first.content.decode()
    assert 'aria-label="Caseload pages"' in html and "?q=person&amp;page=2" in html
    assert "Showing 1 to 25 of 30" in html
    assert len(names(client.get(f"{URL}?q=person&page=2"))) == 5
    assert len(names(client.get(f"{URL}?q=person&page=99"))) == 5  # out of range: last page


def test_empty_caseload_says_what_to_do_next(client_for, owner):
    html = client_for(owner).get(URL).content.decode()
    assert "There is no one on your caseload yet" in html
    assert "/people/new/" in html


def test_search_with_no_match_offers_to_clear(client_for, owner, caseload):
    html = client_for(owner).get(f"{URL}?q=zzz").content.decode()
    assert "No one matches your search" in html and "clear the search" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_caseload_list_query_count_does_not_grow(
    client_for, supervisor, team_a, owner, colleague, django_assert_max_num_queries, rows
):
    for n in range(rows):
        worker = owner if n % 2 else colleague
        person = ServiceUserFactory(team=team_a, allocated_worker=worker)
        person.co_workers.add(colleague if worker == owner else owner)
    client = client_for(supervisor)
    client.get("/")
    # +1: the supervisors' overdue check-in banner (safety); one fewer when
    # everyone fits on the first page (it is its own count).
    with django_assert_max_num_queries(12):
        assert client.get(f"{URL}?sort=stage").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"{URL}?no_contact=on&q=a").status_code == 200


def test_worker_filter_offers_only_workers_in_the_users_teams(
    client_for, supervisor, caseload, other_worker
):
    html = client_for(supervisor).get(URL).content.decode()
    select = html.split('id="id_worker"')[1].split("</select>")[0]
    assert "Olive" in select and "Otto" not in select
    make_worker(caseload["dee"].team, username="another")


def _row(html, name):
    start = html.index(f">{name}</a>")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_each_row_says_what_needs_attention(client_for, team_a, supervisor, owner, colleague):
    today = timezone.localdate()
    ServiceUserFactory(
        team=team_a,
        allocated_worker=owner,
        preferred_name="Quiet Quinn",
        reference="QQ-1",
        status="paused",
        last_contact_on=days_ago(60),
        next_contact_on=today - datetime.timedelta(days=2),
    )
    ServiceUserFactory(
        team=team_a,
        allocated_worker=colleague,
        preferred_name="Recent Rae",
        status="active",
        last_contact_on=days_ago(1),
        next_contact_on=today + datetime.timedelta(days=3),
    )
    ServiceUserFactory(
        team=team_a,
        allocated_worker=owner,
        preferred_name="New Ned",
        status="referred",
        last_contact_on=None,
        next_contact_on=None,
    )
    mine = client_for(owner).get(URL).content.decode()
    quinn = _row(mine, "Quiet Quinn")
    assert "QQ-1" in quinn and "Paused" in quinn and "You" in quinn
    assert "over 28 days" in quinn and "passed" in quinn
    ned = _row(mine, "New Ned")
    assert "No contact yet" in ned and "None planned" in ned and "over" not in ned
    team = client_for(supervisor).get(f"{URL}?status=all").content.decode()
    rae = _row(team, "Recent Rae")
    assert str(colleague.get_full_name() or colleague.username) in rae
    assert "over" not in rae and "passed" not in rae and "You" not in rae
    assert _row(team, "Quiet Quinn").count("You") == 0
