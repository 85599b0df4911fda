"""``make loadtest``: seed PostgreSQL, serve the app with gunicorn on 127.0.0.1,
run locust headless against it, and report each page against the floor page.

    .venv/bin/python benchmarks/loadtest/run.py

Environment (all optional):

    DATABASE_URL       postgres://postgres@127.0.0.1:5432/cp_loadtest (created if missing)
    LOADTEST_SECONDS   210   how long to measure, once every user has signed in
    LOADTEST_USERS     20    simulated users (3 workers to 1 supervisor)
    LOADTEST_PEOPLE    10000 volume people (``seed_demo --people N --force``)
    LOADTEST_PORT      8765  port on 127.0.0.1 for gunicorn
    LOADTEST_WORKERS   3     gunicorn workers
    LOADTEST_OUT       a new temporary folder: access log, locust CSV, report

The app runs with production settings (DEBUG off) except for plain HTTP:
``DJANGO_SECURE_SSL_REDIRECT=0``. Its cookies stay ``Secure``; the load test's
client sends them to 127.0.0.1 anyway, as browsers do on localhost. Supervisors
answer their second factor with the demo authenticator key.
"""

import csv
import datetime
import hashlib
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pages import FLOOR, MAIN_PAGES, page_name  # noqa: E402

ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cp_loadtest"
# Request time in microseconds (%(D)s) after the request line, so it can be named.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s" "%(U)s" "%(q)s" %(s)s %(D)s'
RATIO_LIMIT = 2.0
# How often the dashboards are counted ahead while locust runs, as cron would
# (``count_dashboards``; more often than CP_DASHBOARD_FIGURES_SECONDS, 300 s).
COUNT_DASHBOARDS_EVERY = 240


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def ensure_database(url):
    """Create the database named in ``url`` if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")
    connection.close()


def analyse(url):
    """Planner statistics for the freshly seeded rows (autovacuum would get there later)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()


def loadtest_secret_key(database_url):
    """A signing key of the load test's own, the same for every run against one
    database, so the sessions earlier runs left there still decode (a new key
    each run made every one of them a "Session data corrupted" warning). It signs
    nothing but this throwaway database's fictional sessions on 127.0.0.1."""
    return "cp-loadtest-" + hashlib.sha256(database_url.encode()).hexdigest()


def app_environment(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=loadtest_secret_key(database_url),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL=setting("DJANGO_LOG_LEVEL", "WARNING"),
    )
    return env


def manage(env, *args):
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    return time.perf_counter() - started


def count_dashboards_every(env, seconds, stop):
    """Run ``count_dashboards`` every ``seconds`` until ``stop`` is set: the cron
    job a deployment runs, so supervisors read figures counted ahead."""
    while not stop.wait(seconds):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "count_dashboards"],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )


def wait_until_up(base_url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered; see its error log.")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base_url}/healthz did not answer within {seconds} s.")


def percentile(values, share):
    """Nearest-rank percentile of ``values`` (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def parse_access_log(lines, measure_from=None):
    """{page: {"ms": [server times], "errors": n}} from gunicorn access log lines
    in ``ACCESS_LOG_FORMAT``, skipping lines before ``measure_from`` (epoch s)."""
    pages = defaultdict(lambda: {"ms": [], "errors": 0})
    for line in lines:
        try:
            stamp, rest = line.split("] ", 1)
            when = datetime.datetime.strptime(stamp.lstrip("["), "%d/%b/%Y:%H:%M:%S %z")
            _method, path, query, tail = rest.split('"')[1::2] + [rest.rsplit('"', 1)[1]]
            status, micros = tail.split()
        except ValueError:
            continue
        if measure_from is not None and when.timestamp() < math.floor(measure_from):
            continue
        page = pages[page_name(path, query)]
        page["ms"].append(int(micros) / 1000)
        if not 200 <= int(status) < 400:
            page["errors"] += 1
    return pages


def parse_locust_stats(path):
    """{page: {"requests", "failures", "p50", "p95"}} from locust's ``*_stats.csv``."""
    stats = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated" or not int(row["Request Count"]):
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
            }
    return stats


def report(client, server):
    """The table: each page's client p50/p95 and server p50/p95, each also as a
    multiple of the floor page's in the same run (the limit applies to the server
    p95; the p50 shows how much of a p95 is the page and how much is waiting).
    Returns (text, pages over the limit, failures)."""
    floor_client = client.get(FLOOR, {})
    floor_server = percentile(server.get(FLOOR, {}).get("ms", []), 0.95)

    def ratio(value, floor):
        return f"{value / floor:4.1f}×" if value and floor else "   –"

    floor_server_p50 = percentile(server.get(FLOOR, {}).get("ms", []), 0.5)
    header = (
        f"{'page':18} {'requests':>8}  {'client p50':>15}  {'client p95':>15}  "
        f"{'server p50':>16}  {'server p95':>16}  {'failures':>8}"
    )
    lines = [header, "-" * len(header)]
    over = []
    failures = 0
    for name in [FLOOR, *MAIN_PAGES, "other"]:
        seen = client.get(name)
        served = server.get(name)
        if not seen and not served:
            continue
        seen = seen or {"requests": 0, "failures": 0, "p50": 0, "p95": 0}
        server_p50 = percentile(served["ms"] if served else [], 0.5)
        server_p95 = percentile(served["ms"] if served else [], 0.95)
        failed = seen["failures"] + (served["errors"] if served else 0)
        failures += failed
        lines.append(
            f"{name:18} {seen['requests']:8}  "
            f"{seen['p50']:6.0f} ms {ratio(seen['p50'], floor_client.get('p50')):>5}  "
            f"{seen['p95']:6.0f} ms {ratio(seen['p95'], floor_client.get('p95')):>5}  "
            f"{server_p50 or 0:7.1f} ms {ratio(server_p50, floor_server_p50):>5}  "
            f"{server_p95 or 0:7.1f} ms {ratio(server_p95, floor_server):>5}  {failed:8}"
        )
        if (
            name in MAIN_PAGES
            and server_p95
            and floor_server
            and server_p95 > RATIO_LIMIT * floor_server
        ):
            over.append(f"{name} ({server_p95 / floor_server:.1f}×)")
    lines.append("")
    lines.append(
        "Failures count locust's failed requests (not 2xx/3xx, or sent to sign in) plus the "
        "server's non-2xx/3xx answers."
    )
    if over:
        lines.append(f"Over {RATIO_LIMIT:g}× the floor's server p95: " + ", ".join(over))
    else:
        lines.append(f"Every main page is within {RATIO_LIMIT:g}× the floor's server p95.")
    return "\n".join(lines), over, failures


def run_locust(base_url, users, seconds, out, output):
    """locust, headless, for ``seconds`` plus time for every user to sign in."""
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            "4",
            "--run-time",
            f"{seconds + 20}s",
            "--host",
            base_url,
            "--csv",
            str(out / "locust"),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "LOADTEST_OUT": str(out)},
        check=False,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def main():
    database_url = setting("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test needs PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    seconds = int(setting("LOADTEST_SECONDS", "210"))
    users = int(setting("LOADTEST_USERS", "20"))
    people = int(setting("LOADTEST_PEOPLE", "10000"))
    port = int(setting("LOADTEST_PORT", "8765"))
    workers = setting("LOADTEST_WORKERS", "3")
    out = Path(setting("LOADTEST_OUT", "") or tempfile.mkdtemp(prefix="cp-loadtest-"))
    out.mkdir(parents=True, exist_ok=True)
    base_url = f"http://127.0.0.1:{port}"

    ensure_database(database_url)
    env = app_environment(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    took = manage(env, "seed_demo", "--people", str(people), "--force")
    print(f"seed_demo --people {people}: {took:.0f} s")
    analyse(database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # The nightly job: today's boards and any journey whose kept copy is missing
    # or out of date (every one on the first run against a new database).
    took = manage(env, "keep_ahead")
    print(f"keep_ahead (cron's job, nightly): {took:.1f} s")
    took = manage(env, "count_dashboards")
    print(f"count_dashboards (cron's job, again every {COUNT_DASHBOARDS_EVERY} s): {took:.1f} s")

    access_log = out / "access.log"
    for stale in (access_log, out / "measure_from"):
        stale.unlink(missing_ok=True)
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "connecting_people.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--error-logfile",
            str(out / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base_url, server)
        print(
            f"Serving on {base_url} with {workers} gunicorn workers; {users} users for {seconds} s"
        )
        # Signing in (password hashing) takes a few seconds before measuring starts.
        stop = threading.Event()
        cron = threading.Thread(
            target=count_dashboards_every, args=(env, COUNT_DASHBOARDS_EVERY, stop), daemon=True
        )
        cron.start()
        with open(out / "locust.out", "w", encoding="utf-8") as locust_out:
            run_locust(base_url, users, seconds, out, locust_out)
        stop.set()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    marker = out / "measure_from"
    if not marker.exists():
        raise SystemExit(f"Not every user signed in; see {out / 'locust.out'}.")
    measure_from = float(marker.read_text())
    served = parse_access_log(
        access_log.read_text(encoding="utf-8").splitlines(), measure_from=measure_from
    )
    seen = parse_locust_stats(out / "locust_stats.csv")
    text, _over, failures = report(seen, served)
    (out / "report.txt").write_text(text + "\n", encoding="utf-8")
    print()
    print(text)
    print(f"\nLogs, locust CSV and this report: {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
