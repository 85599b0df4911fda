"""Keyset paging: newer/older links with an opaque cursor of (time, id); deep pages
cost what the first costs; a bad cursor gives the first page, never an error."""

import base64
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseload.models import AuditEvent
from core.paging import CURSOR_PARAM, decode_cursor, encode_cursor, keyset_page

pytestmark = pytest.mark.django_db


def _events(person, count, *, same_time=False):
    start = timezone.now() - timedelta(days=1)
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            service_user=person,
            action="view",
            object_type="serviceuser",
            at=start if same_time else start + timedelta(seconds=index),
        )
        for index in range(count)
    )


def _page(cursor=None, per_page=50):
    params = {CURSOR_PARAM: cursor} if cursor is not None else {}
    request = RequestFactory().get("/", params)
    return keyset_page(request, AuditEvent.objects.all(), per_page)


def _ids(page):
    return [event.pk for event in page.object_list]


@pytest.mark.parametrize("same_time", [False, True], ids=["distinct times", "all at one time"])
def test_older_then_newer_walks_every_row_once_in_order(person, same_time):
    _events(person, 120, same_time=same_time)
    newest_first = list(AuditEvent.objects.order_by("-at", "-pk").values_list("pk", flat=True))
    first = _page()
    assert (first.has_newer, first.has_older) == (False, True)
    second = _page(first.older_cursor)
    third = _page(second.older_cursor)
    assert (second.has_newer, second.has_older) == (True, True)
    assert (third.has_newer, third.has_older) == (True, False)
    assert _ids(first) + _ids(second) + _ids(third) == newest_first
    assert len(third) == 20
    back = _page(third.newer_cursor)
    assert _ids(back) == _ids(second)
    assert (back.has_newer, back.has_older) == (True, True)
    top = _page(back.newer_cursor)
    assert _ids(top) == _ids(first) and not top.has_newer


def test_newer_running_off_the_top_shows_a_whole_first_page(person):
    _events(person, 60)
    first = _page(per_page=25)
    second = _page(first.older_cursor, per_page=25)
    # a newer link from a page that started 5 rows below the top
    fifth = AuditEvent.objects.order_by("-at", "-pk")[5]
    nearly_top = encode_cursor("n", fifth.at, fifth.pk)
    page = _page(nearly_top, per_page=25)
    assert _ids(page) == _ids(first) and not page.has_newer
    assert second.has_newer


def test_an_empty_list_is_one_page_with_no_links(db):
    page = _page()
    assert page.object_list == [] and not page.has_newer and not page.has_older


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "abc",
        "%%%",
        "!" * 500,
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(
            json.dumps(["x", "2026-01-01T00:00:00+00:00", 1]).encode()
        ).decode(),
        base64.urlsafe_b64encode(json.dumps(["o", "2026-01-01T00:00:00", 1]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps(["o", "yesterday", 1]).encode()).decode(),
        base64.urlsafe_b64encode(
            json.dumps(["o", "2026-01-01T00:00:00+00:00", "1"]).encode()
        ).decode(),
        base64.urlsafe_b64encode(json.dumps({"o": 1}).encode()).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_bad_cursor_gives_the_first_page(person, cursor):
    _events(person, 60)
    assert decode_cursor(cursor) is None
    page = _page(cursor)
    assert _ids(page) == _ids(_page()) and not page.has_newer


def test_a_deep_page_is_one_query_with_no_offset_and_no_count(person):
    _events(person, 120)
    cursor = _page(_page().older_cursor).older_cursor
    with CaptureQueriesContext(connection) as queries:
        page = _page(cursor)
    assert len(page) == 20
    assert len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "OFFSET" not in sql and "COUNT(" not in sql
    assert "LIMIT 51" in sql
