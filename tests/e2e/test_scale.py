"""The access log at volume in a browser: keyset pages ("Older" / "Newer" /
"Newest") move through the entries, each page passes axe."""

import pytest
from playwright.sync_api import expect

from tests.caseload.factories import make_audit_views

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_pages_through_a_long_access_log(page, axe, sign_in, supervisor, owner, person):
    make_audit_views(person, owner, 120, days_ago=10)
    sign_in(page, supervisor)
    page.goto(f"/people/{person.public_id}/access-log/")
    axe(page)
    table = page.locator("table")
    expect(table).to_contain_text("/entry-119/")
    expect(page.get_by_role("link", name="Newer entries")).to_have_count(0)
    page.get_by_role("link", name="Older entries").click()
    axe(page)
    expect(table).to_contain_text("/entry-69/")
    expect(table).not_to_contain_text("/entry-119/")
    page.get_by_role("link", name="Older entries").click()
    expect(table).to_contain_text("/entry-0/")
    expect(page.get_by_role("link", name="Older entries")).to_have_count(0)
    page.get_by_role("link", name="Newer entries").click()
    expect(table).to_contain_text("/entry-69/")
    page.get_by_role("link", name="Newest").click()
    expect(table).to_contain_text("/entry-119/")
    axe(page)
