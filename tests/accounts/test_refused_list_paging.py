"""The admins' list of refused requests is keyset-paged: newer/older links, no
page numbers, no COUNT or OFFSET whatever its size, a bad cursor the first page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessDeniedEvent

CHANGELIST = "admin:accounts_accessdeniedevent_changelist"


def _refusals(user, count):
    events = AccessDeniedEvent.objects.bulk_create(
        AccessDeniedEvent(user=user, path=f"/refused-{index}/", method="GET", status=404)
        for index in range(count)
    )
    start = timezone.now() - timedelta(days=2)
    for index, event in enumerate(events):  # auto_now_add: set the times afterwards
        event.at = start + timedelta(minutes=index)
    AccessDeniedEvent.objects.bulk_update(events, ["at"])


def _link(html, rel):
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return unescape(match.group(1)) if match else None


def test_the_refused_list_pages_newest_first_by_keyset(client_for, admin_user, colleague):
    _refusals(colleague, 250)
    client = client_for(admin_user)
    url = reverse(CHANGELIST)
    first = client.get(url).content.decode()
    assert "/refused-249/" in first and "/refused-150/" in first and "/refused-149/" not in first
    assert _link(first, "prev") is None
    second = client.get(url + _link(first, "next")).content.decode()
    assert "/refused-149/" in second and "/refused-50/" in second
    assert "/refused-150/" not in second and "?e=1" not in second
    third = client.get(url + _link(second, "next")).content.decode()
    assert "/refused-0/" in third and _link(third, "next") is None
    back = client.get(url + _link(third, "prev")).content.decode()
    assert "/refused-149/" in back and "/refused-50/" in back


def test_the_cursor_keeps_the_filter(client_for, admin_user, colleague, other_worker):
    _refusals(colleague, 120)
    _refusals(other_worker, 5)
    client = client_for(admin_user)
    url = reverse(CHANGELIST)
    first = client.get(url, {"user__id__exact": colleague.pk}).content.decode()
    older = _link(first, "next")
    assert f"user__id__exact={colleague.pk}" in older
    second = client.get(url + older).content.decode()
    assert "/refused-19/" in second and "/refused-0/" in second


@pytest.mark.parametrize("cursor", ["rubbish", "eyJ4IjoxfQ"])
def test_a_bad_cursor_on_the_refused_list_gives_the_first_page(
    client_for, admin_user, colleague, cursor
):
    _refusals(colleague, 120)
    response = client_for(admin_user).get(reverse(CHANGELIST), {"cursor": cursor})
    assert response.status_code == 200
    assert "/refused-119/" in response.content.decode()


@pytest.mark.parametrize("count", [3, 250])
def test_the_refused_list_costs_the_same_queries_without_count_or_offset(
    client_for, admin_user, colleague, count, django_assert_max_num_queries
):
    _refusals(colleague, count)
    client = client_for(admin_user)
    client.get(reverse(CHANGELIST))
    with django_assert_max_num_queries(14) as captured:
        client.get(reverse(CHANGELIST))
    listing = [
        q["sql"].upper()
        for q in captured.captured_queries
        if "ACCOUNTS_ACCESSDENIEDEVENT" in q["sql"].upper() and "GROUP BY" not in q["sql"].upper()
    ]
    assert listing and all("OFFSET" not in sql and "COUNT(" not in sql for sql in listing)
