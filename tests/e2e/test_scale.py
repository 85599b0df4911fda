"""The access log at volume in a browser: keyset pages ("Older" / "Newer" /
"Newest") move through the entries, each page passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caseload.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_pages_through_a_long_access_log(page, axe, sign_in, supervisor, owner, person):
    start = timezone.now() - timedelta(days=10)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            service_user=person,
            actor=owner,
            action="view",
            object_type="serviceuser",
            at=start + timedelta(minutes=index),
            path=f"/entry-{index}/",
        )
        for index in range(120)
    )
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
