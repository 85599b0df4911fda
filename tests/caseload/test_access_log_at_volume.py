"""The person access log at volume: keyset pages (newer/older, no page numbers,
no COUNT, no OFFSET), a fixed number of queries, and one INSERT per request."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.caseload.conftest import person_url
from tests.caseload.factories import make_audit_views


def _link(html, rel):
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return unescape(match.group(1)) if match else None


def test_the_access_log_pages_by_keyset_newest_first(client_for, supervisor, owner, person):
    make_audit_views(person, owner, 130, days_ago=30)
    client = client_for(supervisor)
    url = person_url("audit_log", person)
    first = client.get(url).content.decode()
    # the supervisor's own view of this page is the newest entry
    assert "/entry-129/" in first and "/entry-81/" in first and "/entry-80/" not in first
    assert _link(first, "prev") is None and "?page=" not in first and " of " not in first
    second = client.get(url + _link(first, "next")).content.decode()
    assert "/entry-80/" in second and "/entry-31/" in second and "/entry-30/" not in second
    assert "Newest" in second
    third = client.get(url + _link(second, "next")).content.decode()
    assert "/entry-0/" in third and _link(third, "next") is None
    again = client.get(url + _link(third, "prev")).content.decode()
    assert "/entry-80/" in again and "/entry-31/" in again


@pytest.mark.parametrize("cursor", ["rubbish", "eyJ4IjoxfQ", "%00"])
def test_a_bad_cursor_on_the_access_log_shows_the_first_page(
    client_for, supervisor, owner, person, cursor
):
    make_audit_views(person, owner, 60, days_ago=30)
    response = client_for(supervisor).get(person_url("audit_log", person), {"cursor": cursor})
    assert response.status_code == 200
    assert "/entry-59/" in response.content.decode()


@pytest.mark.parametrize("count", [3, 130])
def test_the_access_log_costs_the_same_queries_at_any_size_and_any_depth(
    client_for, supervisor, owner, person, count, django_assert_max_num_queries
):
    make_audit_views(person, owner, count, days_ago=30)
    client = client_for(supervisor)
    url = person_url("audit_log", person)
    client.get(url)
    with django_assert_max_num_queries(13) as first:
        html = client.get(url).content.decode()
    older = _link(html, "next")
    if older:
        with django_assert_max_num_queries(len(first.captured_queries)):
            client.get(url + older)
    sql = " ".join(
        q["sql"].upper() for q in first.captured_queries if "AUDITEVENT" in q["sql"].upper()
    )
    assert "OFFSET" not in sql and "COUNT(" not in sql


@pytest.mark.parametrize("name", ["person", "audit_log", "sessions"])
def test_viewing_a_person_page_writes_one_audit_insert(client_for, supervisor, person, name):
    client = client_for(supervisor)
    client.get(person_url(name, person))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(person_url(name, person)).status_code == 200
    writes = [
        q["sql"]
        for q in queries
        if "caseload_auditevent" in q["sql"].lower()
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("INSERT")


@pytest.mark.django_db
def test_the_audit_table_has_an_index_for_each_real_query():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "caseload_auditevent")
    indexes = {name: c for name, c in constraints.items() if c["index"]}
    assert indexes["audit_person_time"]["columns"][:3] == ["service_user_id", "at", "id"]
    assert indexes["audit_actor_time"]["columns"][:3] == ["actor_id", "at", "id"]
    expected = "brin" if connection.vendor == "postgresql" else "idx"
    assert indexes["audit_time_brin"]["columns"] == ["at"]
    assert indexes["audit_time_brin"]["type"] == expected
    # nothing else to maintain on each INSERT but the primary key
    assert set(indexes) - {"audit_person_time", "audit_actor_time", "audit_time_brin"} <= {
        name for name, c in constraints.items() if c["primary_key"]
    } | {name for name in indexes if "erasure" in name}
