"""Crawl a person's record as the supervisor and check every URL found.

Starting at the person page, follow every same-site link whose path contains the
person's UUID (GET only, breadth-first, bounded). Each URL collected is then
checked for every persona with ``assert_person_access``. Pages of later apps
(network map, goals, journey) are linked from the person page once they exist,
so this test picks them up without changes.

Expectation: the owner (allocated worker) gets 200 everywhere except on pages
declared supervisor-only below, where they get 403; outsiders 404; anonymous
users are sent to sign in. A new supervisor-only page must be added here on
purpose — the test fails rather than guess.
"""

import datetime
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import resolve
from django.utils import timezone

from tests.caseload.factories import SessionFactory

MAX_PAGES = 200

SUPERVISOR_ONLY = {
    "caseload:audit_log",
    "caseload:reallocate",
    "caseload:person_close",
    "caseload:person_reopen",
    "caseload:session_delete",
    "caseload:data_rights",
    "caseload:sar_create",
    "caseload:legal_hold",
    "caseload:erasure_create",
    "networks:member_remove_name",
    "outcomes:result_delete",
}


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_in(html, base):
    parser = LinkParser()
    parser.feed(html)
    for href in parser.links:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start, marker):
    seen, queue = {start}, deque([start])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, f"supervisor GET {url} gave {response.status_code}"
        for link in links_in(response.content.decode(), url):
            if marker in link and link not in seen:
                seen.add(link)
                queue.append(link)
    return seen


def test_every_linked_person_url_follows_the_access_rules(
    client_for, supervisor, owner, person, assert_person_access
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for _ in range(3):
        SessionFactory(service_user=person, author=owner, date=yesterday)
    start = person.get_absolute_url()
    urls = crawl(client_for(supervisor), start, str(person.public_id))

    names = {resolve(urlsplit(url).path).view_name for url in urls}
    # The crawl must reach the caseload pages themselves; otherwise it proves nothing.
    assert {
        "caseload:person",
        "caseload:person_edit",
        "caseload:sessions",
        "caseload:session",
        "caseload:session_create",
        "caseload:audit_log",
        "caseload:reallocate",
        "caseload:data_rights",
        "caseload:erasure_create",
    } <= names, names

    for url in sorted(urls):
        name = resolve(urlsplit(url).path).view_name
        if name in SUPERVISOR_ONLY:
            assert_person_access(url, allowed=("supervisor",))
            response = client_for(owner).get(url)
            assert response.status_code == 403, f"owner GET {url} gave {response.status_code}"
        else:
            assert_person_access(url)
