"""Feed subscriptions: curators register ORUK feeds, ``sync_oruk_feeds`` keeps the
directory current from them. Feeds are served from 127.0.0.1 (``feed_server``)."""

import copy
import json
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from toolkit.feeds import feed_sync
from toolkit.models import FeedSubscription, FeedSyncReport, Service

from .feed_server import FeedServer, Route

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def service(n, **extra):
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"feed-service-{n}")),
        "name": f"Group {n:03d}",
        "status": "active",
        "description": f"Fictional group number {n}.",
        "organization": {"id": "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "name": "Fictional org"},
        "schedules": [{"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"schedule-{n}")), "byday": "MO"}],
        **extra,
    }


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def feed_limits(settings):
    settings.CONNECTING_PEOPLE = {
        **settings.CONNECTING_PEOPLE,
        "FEED_TIMEOUT": 1,
        "FEED_MAX_BYTES": 200_000,
    }


def subscribe(url, name="Council directory"):
    return FeedSubscription.objects.create(name=name, url=url)


def test_a_feed_is_read_page_by_page_and_reported(server):
    url = server.serve_pages("/services", [service(n) for n in range(7)], per_page=3)
    feed = subscribe(url)
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.SYNCED, report.errors
    assert (report.pages, report.created, report.updated, report.withdrawn) == (3, 7, 0, 0)
    assert [path for path, _ in server.requests] == [
        "/services",
        "/services?page=2",
        "/services?page=3",
    ]
    assert Service.objects.filter(feed=feed).count() == 7
    first = Service.objects.get(name="Group 000")
    assert first.source_id == service(0)["id"]
    assert first.schedules.get().day_codes == ["MO"]


def test_a_resync_of_an_unchanged_feed_asks_conditionally_and_writes_nothing(server):
    url = server.serve_pages("/services", [service(n) for n in range(5)], per_page=2)
    feed = subscribe(url)
    feed_sync(feed=feed)
    before = dict(Service.objects.values_list("public_id", "updated_at"))
    server.requests.clear()
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.UNCHANGED
    assert report.unchanged == 5 and report.created == report.updated == 0
    assert all(etag for _path, etag in server.requests), server.requests  # If-None-Match sent
    assert dict(Service.objects.values_list("public_id", "updated_at")) == before


def test_changes_update_and_vanished_services_are_withdrawn_not_deleted(server, person, owner):
    from tests.goals.factories import GoalFactory

    services = [service(n) for n in range(6)]
    url = server.serve_pages("/services", services, per_page=2)
    feed = subscribe(url)
    feed_sync(feed=feed)
    leaving = Service.objects.get(name="Group 005")
    goal = GoalFactory(service_user=person)
    goal.opportunities.add(leaving)

    changed = copy.deepcopy(services[:5])
    changed[3]["name"] = "Group 003 (renamed)"
    server.serve_pages("/services", changed, per_page=2)
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.SYNCED, report.errors
    assert (report.created, report.updated, report.unchanged, report.withdrawn) == (0, 1, 4, 1)
    leaving.refresh_from_db()
    assert leaving.is_withdrawn
    assert Service.objects.filter(feed=feed).count() == 6  # never deleted
    assert list(goal.opportunities.all()) == [leaving]  # the goal still refers to it

    server.serve_pages("/services", services, per_page=2)  # it comes back
    report = feed_sync(feed=feed)
    assert (report.updated, report.withdrawn) == (2, 0)
    leaving.refresh_from_db()
    assert not leaving.is_withdrawn


def test_withdrawn_listings_are_hidden_from_workers_but_their_page_says_why(
    server, client_for, owner, curator
):
    url = server.serve_pages("/services", [service(1), service(2)], per_page=10)
    feed = subscribe(url)
    feed_sync(feed=feed)
    server.serve_pages("/services", [service(1)], per_page=10)
    feed_sync(feed=feed)
    gone = Service.objects.get(name="Group 002")
    directory = client_for(owner).get(reverse("toolkit:directory")).content.decode()
    assert "Group 001" in directory and "Group 002" not in directory
    page = client_for(owner).get(reverse("toolkit:service", kwargs={"public_id": gone.public_id}))
    assert page.status_code == 200
    assert "Withdrawn." in page.content.decode()
    assert "Council directory" in page.content.decode()


def test_two_feeds_with_the_same_ids_stay_separate(server):
    shared = [service(1)]
    first = subscribe(server.serve_pages("/a", shared, per_page=10), name="Feed A")
    other = copy.deepcopy(shared)
    other[0]["name"] = "The same id, another feed"
    second = subscribe(server.serve_pages("/b", other, per_page=10), name="Feed B")
    feed_sync(feed=first)
    feed_sync(feed=second)
    assert Service.objects.count() == 2
    names = dict(Service.objects.values_list("feed__name", "name"))
    assert names == {"Feed A": "Group 001", "Feed B": "The same id, another feed"}
    assert len(set(Service.objects.values_list("source_id", flat=True))) == 1
    # Removing it from one feed does not touch the other's copy.
    server.serve_pages("/a", [service(9)], per_page=10)
    feed_sync(feed=first)
    assert Service.objects.get(feed=second).is_withdrawn is False


def test_an_unseen_hsds3_document_syncs_and_resyncs_idempotently(server):
    documents = [json.loads((FIXTURES / "hsds3_full_service.json").read_text())]
    documents += json.loads((FIXTURES / "hsds3_befriending.json").read_text())["contents"]
    feed = subscribe(server.serve_pages("/hsds", documents, per_page=2))
    assert feed_sync(feed=feed).created == 4
    walk = Service.objects.get(name="Riverside Walking and Talking")
    assert walk.languages.count() == 2 and walk.service_areas.count() == 1
    assert walk.locations.count() == 2
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.UNCHANGED and report.unchanged == 4


BAD_FEEDS = [
    (Route(b"<html>Directory</html>", content_type="text/html"), "is not valid JSON"),
    (Route({"items": []}), "is not an Open Referral UK list"),
    (Route({"contents": [], "total_pages": "many"}), "'total_pages' should be a whole number"),
    (Route({"contents": [{"id": "x", "status": "open", "name": "Bad"}]}), "is not one of active"),
    (Route({"contents": [{"id": "y"}]}), "has no name"),
    (Route(b"", status=500), "answered 500"),
    (Route(b"", status=404), "answered 404"),
    (Route(b"[" + b"1," * 200_000 + b"1]"), "is larger than"),
    (Route({"contents": []}, delay=2), "did not answer within 1 seconds"),
    (Route({"contents": [], "total_pages": 1}), "listed no services"),
]


@pytest.mark.parametrize(("route", "message"), BAD_FEEDS)
def test_a_bad_feed_changes_nothing_and_says_why_on_its_page(
    server, feed_limits, client_for, curator, route, message
):
    url = server.serve_pages("/services", [service(1), service(2)], per_page=10)
    feed = subscribe(url)
    feed_sync(feed=feed)
    before = list(Service.objects.order_by("pk").values("name", "version", "withdrawn_at"))
    server.routes["/services"] = route
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.FAILED
    assert message in report.errors[0]
    assert list(Service.objects.order_by("pk").values("name", "version", "withdrawn_at")) == before
    page = client_for(curator).get(feed.get_absolute_url()).content.decode()
    assert "The last sync failed, so nothing was changed" in page
    assert message.split("'")[0] in page.replace("&#x27;", "'")


def test_one_bad_service_among_many_fails_the_sync_and_counts_the_failures(server):
    services = [service(n) for n in range(4)]
    services[1]["status"] = "open"
    services[3]["assured_date"] = "yesterday"
    feed = subscribe(server.serve_pages("/services", services, per_page=2))
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.FAILED
    assert report.failed == 2 and len(report.errors) == 2
    assert "Page 1, item 2" in report.errors[0] and "Page 2, item 2" in report.errors[1]
    assert not Service.objects.exists()


def test_an_unreachable_feed_fails_cleanly(feed_limits):
    feed = subscribe("http://127.0.0.1:9/services")  # the discard port: nothing listens
    report = feed_sync(feed=feed)
    assert report.outcome == FeedSyncReport.Outcome.FAILED
    assert "could not be reached" in report.errors[0]


def test_only_https_feeds_outside_development(settings):
    from django.core.exceptions import ValidationError

    from toolkit.feeds import check_feed_url

    check_feed_url("https://directory.example.org/api/services")
    check_feed_url("http://127.0.0.1:8000/api/services")  # tests and local feeds
    with pytest.raises(ValidationError):
        check_feed_url("http://directory.example.org/api/services")
    with pytest.raises(ValidationError):
        check_feed_url("file:///etc/passwd")
    settings.DEBUG = False
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "FEED_ALLOW_LOCAL_HTTP": False}
    with pytest.raises(ValidationError):
        check_feed_url("http://127.0.0.1:8000/api/services")
    with pytest.raises(ValidationError, match="private network"):
        check_feed_url("https://127.0.0.1/api/services")


def test_curators_register_a_feed_and_others_cannot(client_for, curator, owner, server):
    client = client_for(curator)
    response = client.post(
        reverse("toolkit:feeds"),
        {"name": "Council", "url": "http://directory.example.org/api/services"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in content
    assert "must start with https://" in content
    assert not FeedSubscription.objects.exists()
    url = server.serve_pages("/services", [service(1)], per_page=10)
    response = client.post(reverse("toolkit:feeds"), {"name": "Council", "url": url})
    feed = FeedSubscription.objects.get()
    assert response.status_code == 302 and response["Location"] == feed.get_absolute_url()
    response = client.post(feed.get_absolute_url(), {"action": "sync"}, follow=True)
    assert "Synced: created 1" in response.content.decode()
    listing = client.get(reverse("toolkit:feeds")).content.decode()
    assert "Council" in listing and "Working" in listing
    client.post(feed.get_absolute_url(), {"action": "pause"})
    feed.refresh_from_db()
    assert feed.active is False
    for user in (owner, None):
        assert client_for(user).get(reverse("toolkit:feeds")).status_code in (302, 403)
        assert client_for(user).post(feed.get_absolute_url(), {"action": "sync"}).status_code in (
            302,
            403,
        )


def test_sync_command_reports_each_feed_and_fails_when_one_failed(server, feed_limits):
    good = subscribe(server.serve_pages("/good", [service(1)], per_page=10), name="Good feed")
    bad = subscribe(server.url("/missing"), name="Bad feed")
    FeedSubscription.objects.create(name="Paused", url=server.url("/paused"), active=False)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 feeds failed"):
        call_command("sync_oruk_feeds", stdout=out)
    text = out.getvalue()
    assert "Good feed: Synced; created 1, updated 0, unchanged 0, withdrawn 0, failed 0" in text
    assert "Bad feed: Failed: nothing was changed" in text and "answered 404" in text
    assert "Paused" not in text
    out = StringIO()
    call_command("sync_oruk_feeds", "--feed", str(good.public_id), stdout=out)
    assert "Good feed: No changes" in out.getvalue()
    assert bad.reports.count() == 1


@pytest.mark.parametrize("count", [10, 40])
def test_sync_runs_a_fixed_number_of_queries_whatever_the_number_of_services(server, count):
    url = server.serve_pages("/services", [service(n) for n in range(count)], per_page=count // 2)
    feed = subscribe(url)
    with CaptureQueriesContext(connection) as queries:
        report = feed_sync(feed=feed)
    assert report.created == count
    # Bulk writes: about 25 queries whether the 2 pages hold 5 or 20 services each
    # (SQLite splits a bulk insert every 999 parameters, which adds one or two).
    assert len(queries) <= 28, [q["sql"][:80] for q in queries]
