"""The load test's report (``make loadtest``): naming requests, reading the access
log and locust's CSV, and the ratios to the floor page. No server is started."""

from benchmarks.loadtest import run
from benchmarks.loadtest.pages import FLOOR, MAIN_PAGES, page_name

PERSON = "/people/5f0c7a52-5e0b-4c1e-9d38-8c1c3a4a2b10/"


def test_every_request_of_the_load_test_is_named_after_its_page():
    assert page_name("/") == FLOOR
    assert page_name("/people/") == "caseload list"
    assert page_name("/people/", "q=Ivy") == "caseload search"
    assert page_name(PERSON) == "person page"
    assert page_name(PERSON + "journey/") == "journey"
    assert page_name(PERSON + "network/") == "network map"
    assert page_name("/toolkit/directory/", "q=walk") == "directory search"
    assert page_name("/api/oruk/services", "per_page=20") == "ORUK feed"
    assert page_name("/admin/") == "other"
    assert {"dashboard", "board", "journey", "sessions", "goals"} <= set(MAIN_PAGES)


def log_line(second, path, query, status, micros):
    return f'[01/Dec/2026:21:00:{second:02d} +0000] "GET" "{path}" "{query}" {status} {micros}'


def test_access_log_gives_server_times_per_page_from_the_measured_window_only():
    lines = [
        log_line(1, "/", "", 200, 900_000),  # before measuring started: skipped
        *[log_line(5, "/", "", 200, 10_000) for _ in range(19)],
        log_line(6, "/", "", 200, 20_000),
        log_line(6, "/board/", "", 500, 30_000),
        "not a log line",
    ]
    measure_from = 1_796_158_805.5  # 1 December 2026, 21:00:05.5 UTC
    pages = run.parse_access_log(lines, measure_from=measure_from)
    assert len(pages[FLOOR]["ms"]) == 20
    assert run.percentile(pages[FLOOR]["ms"], 0.95) == 10.0
    assert run.percentile(pages[FLOOR]["ms"], 1.0) == 20.0
    assert pages["board"] == {"ms": [30.0], "errors": 1}


def test_report_gives_each_page_as_a_multiple_of_the_floor_and_names_those_over_two(tmp_path):
    stats = tmp_path / "locust_stats.csv"
    stats.write_text(
        "Type,Name,Request Count,Failure Count,50%,95%\n"
        "GET,floor (home),100,0,10,20\n"
        "GET,dashboard,50,1,25,70\n"
        "GET,journey,80,0,15,30\n"
        "GET,sign in,0,0,N/A,N/A\n"
        ",Aggregated,230,1,12,40\n"
    )
    client = run.parse_locust_stats(stats)
    assert set(client) == {FLOOR, "dashboard", "journey"}
    server = {
        FLOOR: {"ms": [8.0] * 20, "errors": 0},
        "dashboard": {"ms": [20.0] * 20, "errors": 0},
        "journey": {"ms": [12.0] * 20, "errors": 0},
    }
    text, over, failures = run.report(client, server)
    dashboard = next(line for line in text.splitlines() if line.startswith("dashboard"))
    assert dashboard.count("2.5×") == 3 and "3.5×" in dashboard  # client p50, server p50 and p95
    assert over == ["dashboard (2.5×)"]
    assert failures == 1
    assert "Over 2× the floor's server p95: dashboard (2.5×)" in text
