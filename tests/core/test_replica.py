"""The read-replica router: only report views (the supervisor dashboard, its CSV,
the team outcome export) read from ``replica``; everything else, and every write,
uses the primary; a browser that has just written reads reports from the primary;
a replica that is down is skipped with a warning and the page still works.

The ``replica`` alias (tests/settings.py) mirrors the primary's test database,
so these tests commit their data (transaction=True) for both connections to see it.
"""

import logging

import pytest
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import replica
from core.replica import WROTE_COOKIE, ReportReplicaRouter, current_read_alias, report_reads
from tests.caseload.factories import ServiceUserFactory

BOTH = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
REPORT_TABLES = ("caseload_serviceuser", "caseload_stagechange", "networks_", "goals_")


@pytest.fixture(autouse=True)
def _fresh_replica_state():
    replica._down_until.clear()
    yield
    replica._down_until.clear()


@pytest.fixture
def with_replica(settings):
    settings.CP_REPORT_DATABASE = "replica"


@pytest.fixture
def team_world(team_a, owner, supervisor):
    for index in range(3):
        ServiceUserFactory(team=team_a, allocated_worker=owner, preferred_name=f"Person {index}")
    return team_a


def _get(client, url, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as copy,
    ):
        response = client.get(url, **kwargs)
    return response, [q["sql"] for q in primary], [q["sql"] for q in copy]


def _mentions(queries, tables=REPORT_TABLES):
    return [sql for sql in queries if any(table in sql for table in tables)]


@BOTH
def test_without_a_replica_every_query_uses_the_primary(client_for, supervisor, team_world):
    response, primary, copy = _get(client_for(supervisor), reverse("workflow:dashboard"))
    assert response.status_code == 200
    assert copy == []
    assert _mentions(primary)
    assert b"in the reporting copy of the records" not in response.content


@BOTH
@pytest.mark.parametrize(
    "name",
    [
        "workflow:dashboard",
        "workflow:dashboard_export",
        "measures:team_export",
        "workflow:agency_report",
        "workflow:agency_export",
    ],
)
def test_report_reads_go_to_the_replica_and_nothing_else_does(
    client_for, supervisor, team_world, with_replica, name
):
    response, primary, copy = _get(client_for(supervisor), reverse(name))
    assert response.status_code == 200
    assert _mentions(copy), "the report's figures were read from the replica"
    assert not _mentions(primary), "no report figure was read from the primary"
    # the replica only ever reads, and never the session, cache or lockout tables
    assert all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in copy)
    assert not _mentions(copy, ("django_session", "django_cache", "axes_"))


@BOTH
def test_the_dashboard_from_the_replica_says_figures_as_of(
    client_for, supervisor, team_world, with_replica
):
    response, _, _ = _get(client_for(supervisor), reverse("workflow:dashboard"))
    assert b"in the reporting copy of the records" in response.content
    # one line says when the figures are from, not one for the copy and one for counting
    assert response.content.count(b"Figures as of") == 1


@BOTH
def test_figures_kept_from_the_replica_still_say_so(
    client_for, supervisor, team_world, with_replica, settings
):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "DASHBOARD_FIGURES_SECONDS": 300}
    client = client_for(supervisor)
    _get(client, reverse("workflow:dashboard"))
    response, _, _ = _get(client, reverse("workflow:dashboard"))
    content = response.content.decode()
    assert content.count("Figures as of") == 1
    assert "in the reporting copy of the records: they are counted at most every 5 minutes" in (
        " ".join(content.split())
    )


@BOTH
@pytest.mark.parametrize("name", ["caseload:list", "workflow:board"])
def test_pages_that_are_not_reports_never_touch_the_replica(
    client_for, owner, team_world, with_replica, name
):
    response, primary, copy = _get(client_for(owner), reverse(name))
    assert response.status_code == 200
    assert copy == [] and _mentions(primary)


@BOTH
def test_a_person_page_never_touches_the_replica(client_for, owner, person, with_replica):
    response, _, copy = _get(client_for(owner), person.get_absolute_url())
    assert response.status_code == 200 and copy == []


@BOTH
def test_after_a_write_the_same_browser_reads_reports_from_the_primary(
    client_for, supervisor, team_world, person, with_replica
):
    client = client_for(supervisor)
    url = reverse("caseload:person_what_matters", args=[person.public_id])
    response = client.post(url, {"what_matters": "Gardening", "version": person.version})
    assert response.cookies[WROTE_COOKIE]["max-age"] == 10
    assert response.cookies[WROTE_COOKIE]["httponly"]
    response, primary, copy = _get(client, reverse("workflow:dashboard"))
    assert response.status_code == 200
    assert copy == [] and _mentions(primary)
    assert b"in the reporting copy of the records" not in response.content
    # once the cookie has expired, the replica is used again
    del client.cookies[WROTE_COOKIE]
    _, _, copy = _get(client, reverse("workflow:dashboard"))
    assert _mentions(copy)


@BOTH
def test_without_a_replica_a_write_sets_no_cookie(client_for, owner, person):
    url = reverse("caseload:person_what_matters", args=[person.public_id])
    response = client_for(owner).post(url, {"what_matters": "Gardening", "version": person.version})
    assert WROTE_COOKIE not in response.cookies


@BOTH
def test_a_replica_that_is_down_falls_back_to_the_primary_with_a_warning(
    client_for, supervisor, team_world, with_replica, monkeypatch, caplog
):
    attempts = []

    def refuse():
        attempts.append(1)
        raise OperationalError('connection to server at "127.0.0.1", port 5499 failed')

    connections["replica"].close()
    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    client = client_for(supervisor)
    with (
        caplog.at_level(logging.WARNING, logger="connecting_people.replica"),
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        response = client.get(reverse("workflow:dashboard"))
    assert response.status_code == 200
    assert _mentions([q["sql"] for q in primary])
    assert b"in the reporting copy of the records" not in response.content
    assert any("unavailable" in r.getMessage() and "5499" in r.getMessage() for r in caplog.records)
    # within the retry period the replica is not tried again on every page
    client.get(reverse("workflow:dashboard"))
    assert len(attempts) == 1


@BOTH
def test_a_replica_that_fails_during_a_report_reruns_it_on_the_primary(
    rf, supervisor, with_replica, monkeypatch, caplog
):
    calls = []

    @report_reads
    def view(request):
        calls.append(current_read_alias())
        if current_read_alias() == "replica":
            raise OperationalError("terminating connection due to conflict with recovery")
        return "figures"

    monkeypatch.setattr(replica, "_healthy", lambda alias: False)
    request = rf.get("/dashboard/")
    request.user = supervisor
    with caplog.at_level(logging.WARNING, logger="connecting_people.replica"):
        assert view(request) == "figures"
    assert calls == ["replica", None]
    assert request.figures_as_of is None
    assert current_read_alias() is None
    assert any("unavailable" in r.getMessage() for r in caplog.records)


@BOTH
def test_a_real_error_in_a_report_is_not_hidden_by_the_fallback(rf, with_replica, monkeypatch):
    @report_reads
    def view(request):
        raise OperationalError("division by zero")

    monkeypatch.setattr(replica, "_healthy", lambda alias: True)
    with pytest.raises(OperationalError):
        view(rf.get("/dashboard/"))
    assert current_read_alias() is None


def test_the_router_writes_and_migrates_on_the_primary_only():
    from caseload.models import ServiceUser

    router = ReportReplicaRouter()
    assert router.db_for_write(ServiceUser) == "default"
    assert router.db_for_read(ServiceUser) is None
    assert router.allow_migrate("default", "caseload") is True
    assert router.allow_migrate("replica", "caseload") is False
