"""Feed subscriptions: read a curator's registered ORUK feeds into the directory.

``feed_sync`` fetches a feed page by page (following ``total_pages``), with a
timeout and a size limit, sending each page's ETag / Last-Modified back so an
unchanged page answers 304. Then, all or nothing:

- every page must be an ORUK paginated document and every service in it must
  read cleanly, or nothing is written and the report says why (the first few
  problems, in plain words);
- services are upserted by the feed's ids, scoped by the subscription, so two
  feeds using the same ids stay separate;
- the feed's services it no longer lists are marked withdrawn (hidden from
  workers, never deleted: people's maps and goals may still refer to them).

Feed addresses must be https (in development, http://127.0.0.1 and
http://localhost are allowed too, for tests and local feeds); in production an
address on a private network is refused, and so is a redirect to one.
"""

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import FeedSubscription, FeedSyncReport
from .oruk_import import (
    Batch,
    ImportRejected,
    collect_item,
    document_items,
    import_batch,
    load_json,
)

DEFAULT_TIMEOUT = 20  # seconds, per request
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # per page
MAX_PAGES = 1000
MAX_ERRORS = 5
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
USER_AGENT = "ConnectingPeople-directory-sync/1.0"


class FeedError(Exception):
    """The feed cannot be read; the message says why, for the feed's page."""


def _limits():
    options = settings.CONNECTING_PEOPLE
    return (
        float(options.get("FEED_TIMEOUT", DEFAULT_TIMEOUT)),
        int(options.get("FEED_MAX_BYTES", DEFAULT_MAX_BYTES)),
    )


def _development():
    """In development (DEBUG, or tests) local http feeds are allowed."""
    return settings.DEBUG or bool(settings.CONNECTING_PEOPLE.get("FEED_ALLOW_LOCAL_HTTP"))


def _is_local(host):
    return (host or "").lower().strip("[]") in LOCAL_HOSTS


def check_feed_url(url):
    """Raise ValidationError unless ``url`` may be fetched as a feed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValidationError("Enter the feed's full web address.") from None
    if not parts.hostname:
        raise ValidationError("Enter the feed's full web address, starting with https://.")
    if parts.scheme == "https":
        if not _development() and _resolves_to_private_address(parts.hostname):
            raise ValidationError(
                "This address is on a private network. Feeds must be public web addresses."
            )
        return
    if parts.scheme == "http" and _development() and _is_local(parts.hostname):
        return
    raise ValidationError(
        "The feed's address must start with https:// so that what it sends cannot be altered "
        "on the way."
    )


def _resolves_to_private_address(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443)}
    except (OSError, UnicodeError):
        return False  # the fetch itself will say it cannot be reached
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            return True
    return False


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address a feed could be registered at."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_feed_url(newurl)
        except ValidationError as error:
            raise FeedError(
                f"The feed redirected to {newurl}, which is refused: {error.messages[0]}"
            ) from None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass
class Page:
    url: str
    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


def fetch_page(url, *, validators=None):
    """GET one page; 304 when ``validators`` (ETag / Last-Modified) still hold."""
    timeout, max_bytes = _limits()
    check = url
    try:
        check_feed_url(check)
    except ValidationError as error:
        raise FeedError(error.messages[0]) from None
    request = urllib.request.Request(  # noqa: S310 (https, or local http in development)
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    validators = validators or {}
    if validators.get("etag"):
        request.add_header("If-None-Match", validators["etag"])
    if validators.get("last_modified"):
        request.add_header("If-Modified-Since", validators["last_modified"])
    opener = urllib.request.build_opener(_CheckedRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:  # noqa: S310 (checked above)
            length = response.headers.get("Content-Length")
            if length and length.isdecimal() and int(length) > max_bytes:
                raise FeedError(_too_large(url, max_bytes))
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FeedError(_too_large(url, max_bytes))
            return Page(
                url=url,
                status=response.status,
                body=body,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Page(url=url, status=304, **_kept(validators))
        raise FeedError(f"{url} answered {error.code} {error.reason}.") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FeedError(f"{url} did not answer within {timeout:g} seconds.") from None
        raise FeedError(f"{url} could not be reached ({reason}).") from None
    except TimeoutError:
        raise FeedError(f"{url} did not answer within {timeout:g} seconds.") from None
    except (OSError, ValueError) as error:
        raise FeedError(f"{url} could not be read ({error}).") from None


def _kept(validators):
    return {
        "etag": validators.get("etag", ""),
        "last_modified": validators.get("last_modified", ""),
    }


def _too_large(url, max_bytes):
    return (
        f"{url} is larger than {max_bytes // (1024 * 1024) or 1} MB, the most a feed page may be."
    )


def page_url(url, number):
    """The address of page ``number`` of the feed at ``url`` (page 1 is ``url``)."""
    if number == 1:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _read_page(page, number):
    source = f"Page {number} ({page.url})"
    document = load_json(page.body, source=source)
    if not isinstance(document, dict) or not isinstance(document.get("contents"), list):
        raise ImportRejected(
            f"{source} is not an Open Referral UK list: expected an object with 'contents' "
            "(a list of services) and 'total_pages'."
        )
    total = document.get("total_pages", 1)
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise ImportRejected(f"{source}: 'total_pages' should be a whole number of 1 or more.")
    if total > MAX_PAGES:
        raise ImportRejected(f"{source} says it has {total} pages; at most {MAX_PAGES} are read.")
    return document, total


def _fetch_all(feed):
    """Every page, conditionally; pages answering 304 are left without a body."""
    stored = feed.validators or {}
    first = fetch_page(feed.url, validators=stored.get(feed.url))
    pages = [first]
    if first.status == 304:
        total = max(feed.total_pages, 1)
        documents = [None]
    else:
        document, total = _read_page(first, 1)
        documents = [document]
    for number in range(2, total + 1):
        url = page_url(feed.url, number)
        page = fetch_page(url, validators=stored.get(url))
        pages.append(page)
        documents.append(None if page.status == 304 else _read_page(page, number)[0])
    return pages, documents, total


def _fill_unchanged_pages(pages, documents):
    """Some pages changed: read the unchanged ones again in full, since every
    page is needed to know which services vanished."""
    for index, page in enumerate(pages):
        if documents[index] is None:
            fresh = fetch_page(page.url)
            pages[index] = fresh
            documents[index] = _read_page(fresh, index + 1)[0]


def _parse(feed, pages, documents):
    batch = Batch(scope=feed.public_id)
    errors, failed = [], 0
    for number, document in enumerate(documents, start=1):
        for index, item in enumerate(document_items(document, f"Page {number}"), start=1):
            try:
                collect_item(batch, item, f"Page {number}, item {index}")
            except ImportRejected as error:
                failed += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(str(error))
    return batch, errors, failed


def feed_sync(*, feed):
    """Sync one feed; returns its FeedSyncReport (saved). Never raises for a bad feed."""
    report = FeedSyncReport(feed=feed, started_at=timezone.now())
    try:
        with transaction.atomic():
            locked = (
                FeedSubscription.objects.select_for_update(skip_locked=True)
                .filter(pk=feed.pk)
                .first()
            )
            if locked is None:
                raise FeedError("Another sync of this feed is running; this one was skipped.")
            _sync(locked, report)
            feed.refresh_from_db()
    except (FeedError, ImportRejected) as error:
        report.outcome = FeedSyncReport.Outcome.FAILED
        report.errors = report.errors or [str(error)]
        report.created = report.updated = report.unchanged = report.withdrawn = 0
        FeedSubscription.objects.filter(pk=feed.pk).update(
            last_checked_at=report.started_at, last_error=report.errors[0]
        )
        feed.refresh_from_db()
    report.finished_at = timezone.now()
    report.save()
    return report


def _sync(feed, report):
    pages, documents, total = _fetch_all(feed)
    report.pages = total
    if all(document is None for document in documents):
        report.outcome = FeedSyncReport.Outcome.UNCHANGED
        report.unchanged = feed.services.current().count()
        _record_success(feed, pages, total, report)
        return
    _fill_unchanged_pages(pages, documents)
    batch, errors, failed = _parse(feed, pages, documents)
    if failed:
        report.failed = failed
        report.errors = errors
        raise ImportRejected(errors[0])
    if not batch.services and feed.services.current().exists():
        raise FeedError(
            "The feed listed no services, so nothing was withdrawn. If it really is empty now, "
            "stop syncing it instead."
        )
    result = import_batch(batch, feed=feed, withdraw_missing=True)
    report.outcome = FeedSyncReport.Outcome.SYNCED
    report.created = result.created
    report.updated = result.updated
    report.unchanged = result.unchanged
    report.withdrawn = result.withdrawn
    report.failed = 0
    _record_success(feed, pages, total, report)


def _record_success(feed, pages, total, report):
    validators = {}
    for page in pages:
        if page.etag or page.last_modified:
            validators[page.url] = {"etag": page.etag, "last_modified": page.last_modified}
    FeedSubscription.objects.filter(pk=feed.pk).update(
        validators=validators,
        total_pages=total,
        last_checked_at=report.started_at,
        last_success_at=report.started_at,
        last_error="",
    )


def feeds_sync_all(*, only=None):
    """Sync every active feed (or the ``only`` ones); returns their reports."""
    feeds = FeedSubscription.objects.filter(active=True) if only is None else only
    return [feed_sync(feed=feed) for feed in feeds]
