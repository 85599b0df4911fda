"""Feed sync at volume (``make bench``): a 2,000-service feed of 20 pages, served
from 127.0.0.1. Targets: first sync < 60 s on PostgreSQL, a re-sync that gets
304s < 5 s. Figures are printed; the assertions are those targets."""

import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from toolkit.feeds import feed_sync
from toolkit.models import FeedSubscription, FeedSyncReport, Service

from .feed_server import FeedServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
SERVICES = 2000
PAGES = 20


def _service(n):
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"bench-{n}")
    return {
        "id": str(key),
        "name": f"Volume group {n:05d}",
        "description": "A fictional weekly group with tea, chat and a short walk. " * 3,
        "status": "active",
        "organization": {"id": str(uuid.uuid5(key, "org")), "name": f"Org {n % 150}"},
        "schedules": [
            {"id": str(uuid.uuid5(key, "s")), "freq": "WEEKLY", "byday": "TU",
             "opens_at": "10:00", "closes_at": "12:00"}
        ],
        "contacts": [
            {"id": str(uuid.uuid5(key, "c")), "name": "Alex",
             "phones": [{"number": "01632 960000"}]}
        ],
        "cost_options": [{"id": str(uuid.uuid5(key, "k")), "amount": 0, "option": "Everyone"}],
        "service_at_locations": [
            {"id": str(uuid.uuid5(key, "sal")), "location": {
                "id": str(uuid.uuid5(key, "loc")), "location_type": "physical",
                "name": f"Hall {n}",
                "addresses": [{"id": str(uuid.uuid5(key, "a")), "address_1": f"{n} High Street",
                               "city": "Northfield", "postal_code": "NF1 1AA", "country": "GB"}],
            }}
        ],
        "attributes": [{"id": str(uuid.uuid5(key, "t")), "taxonomy_term": {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"term-{n % 40}")),
            "name": f"Category {n % 40}", "description": ""}}],
    }  # fmt: skip


def test_sync_a_2000_service_feed_of_20_pages():
    with FeedServer() as server:
        url = server.serve_pages(
            "/services", [_service(n) for n in range(SERVICES)], per_page=SERVICES // PAGES
        )
        feed = FeedSubscription.objects.create(name="Volume", url=url)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as first_queries:
            report = feed_sync(feed=feed)
        first = time.perf_counter() - started
        assert report.outcome == FeedSyncReport.Outcome.SYNCED, report.errors
        assert report.created == SERVICES and report.pages == PAGES

        started = time.perf_counter()
        report = feed_sync(feed=feed)
        again = time.perf_counter() - started
        assert report.outcome == FeedSyncReport.Outcome.UNCHANGED

        # Feed changed everywhere but no ETag match (a server without conditional
        # requests): every page read, every service compared, none written.
        for route in server.routes.values():
            route.body = route.body.replace(b'"size"', b'"size" ')
        started = time.perf_counter()
        report = feed_sync(feed=feed)
        reread = time.perf_counter() - started
        assert report.unchanged == SERVICES

    print(
        f"\n{connection.vendor}: first sync of {SERVICES} services in {PAGES} pages {first:.1f} s "
        f"({len(first_queries)} queries, {len(first_queries) / SERVICES:.2f} per service); "
        f"re-sync answered 304 {again:.2f} s; re-read without 304, nothing changed {reread:.1f} s"
    )
    assert Service.objects.filter(feed=feed).count() == SERVICES
    assert first < 60
    assert again < 5
