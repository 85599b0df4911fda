"""``make scaletest``: the app as operators run it at scale, on one machine.

    .venv/bin/python benchmarks/scaletest/run.py

What it builds (all on 127.0.0.1, all under a temporary folder, all removed at
the end; the system PostgreSQL is not touched):

    locust ──> nginx :58080 ──┬──> gunicorn A :58001 ──┐            ┌──> primary :55432
                              └──> gunicorn B :58002 ──┴─> PgBouncer ┘    (initdb, pg_ctl)
                                                        :56432 (transaction  │ streaming
                                         reports ──────────────────────┐     │ replication
                                                                       └──> replica :55433
                                                                            (pg_basebackup -R)

1. installs nginx and pgbouncer with apt-get when missing;
2. makes a throwaway primary cluster (``initdb``, ``pg_stat_statements``),
   migrates and seeds it (``seed_demo --people SCALETEST_PEOPLE``), then
   builds the replica with ``pg_basebackup`` and starts it streaming;
3. starts PgBouncer in transaction-pooling mode in front of the primary, two
   gunicorn instances (``DATABASE_PGBOUNCER=1``, ``DATABASE_REPLICA_URL`` the
   replica) and nginx balancing them (a refused or dropped connection is
   retried on the other instance for GET; never for POST);
4. runs locust through nginx for three phases of ``SCALETEST_PHASE`` seconds:
   *before* (both instances), *during* (instance B killed with SIGKILL at the
   start of the phase, as a crash would), *after* (B started again); prints
   requests, errors and p95 for each (from nginx's log), lost writes
   (sessions the app acknowledged that are not in the primary), duplicate
   double-submissions, and how many dashboard queries the replica ran
   (``pg_stat_statements`` on the replica);
5. measures throughput with no think time through one instance and through
   both, and their p95s.

Environment (all optional): SCALETEST_PEOPLE (2000), SCALETEST_USERS (16, at most 16),
SCALETEST_PHASE (40 s), SCALETEST_THROUGHPUT_SECONDS (30),
SCALETEST_GUNICORN_WORKERS (2 per instance), SCALETEST_KEEP=1 (keep the folder).
"""

import glob
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE.parent / "loadtest"))

from run import loadtest_secret_key  # noqa: E402

PRIMARY_PORT, REPLICA_PORT, BOUNCER_PORT, NGINX_PORT = 55432, 55433, 56432, 58080
APP_PORTS = [58001, 58002]
DB = "cp_scaletest"
NGINX_LOG = '$msec $status $request_time "$request_method" "$uri" $upstream_addr'


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def as_postgres(*command):
    """PostgreSQL and PgBouncer refuse to run as root: run as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


def run(*command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)  # noqa: S603


def ensure_packages():
    missing = [
        package
        for package, binary in [("nginx", "nginx"), ("pgbouncer", "pgbouncer")]
        if not (shutil.which(binary) or Path("/usr/sbin", binary).exists())
    ]
    if missing:
        print(f"Installing {', '.join(missing)} (apt-get)…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        run(*sudo, "apt-get", "install", "-y", "-q", *missing, env=env)
        for service in missing:  # the packages start their system services: not needed here
            subprocess.run(  # noqa: S603
                ["service", service, "stop"],  # noqa: S607
                check=False,
                capture_output=True,
            )


def postgres_bin():
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise SystemExit("PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql.")
    return Path(found[-1]).parent


def wait_for(check, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what} did not come up within {seconds} s.")


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def psql(port, sql, db=DB):
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=db)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall() if cursor.description else None
    connection.close()
    return rows


class Stack:
    def __init__(self, work):
        self.work = work
        self.pg = postgres_bin()
        self.processes = {}
        self.clusters = []

    # -- PostgreSQL ------------------------------------------------------------
    def make_primary(self):
        data = self.work / "primary"
        run(
            *as_postgres(
                str(self.pg / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ),
            stdout=subprocess.DEVNULL,
        )
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"port = {PRIMARY_PORT}\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nwal_level = replica\nmax_wal_senders = 4\n"
                "shared_preload_libraries = 'pg_stat_statements'\nfsync = off\n"
                "synchronous_commit = on\nshared_buffers = 256MB\nmax_connections = 100\n"
            )
        with open(data / "pg_hba.conf", "a", encoding="utf-8") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        self.start_cluster(data)
        psql(PRIMARY_PORT, f"CREATE DATABASE {DB}", db="postgres")
        psql(PRIMARY_PORT, "CREATE EXTENSION pg_stat_statements")

    def make_replica(self):
        data = self.work / "replica"
        run(
            *as_postgres(
                str(self.pg / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PRIMARY_PORT),
                "-U",
                "postgres",
                "-D",
                str(data),
                "-R",
                "--checkpoint=fast",
                "-X",
                "stream",
                "--no-sync",
            )
        )
        with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"port = {REPLICA_PORT}\nhot_standby = on\n")
        self.start_cluster(data)
        wait_for(
            lambda: psql(REPLICA_PORT, "SELECT pg_is_in_recovery()")[0][0] is True,
            "the replica",
        )

    def start_cluster(self, data):
        run(
            *as_postgres(
                str(self.pg / "pg_ctl"), "-D", str(data), "-l", str(data / "log"), "-w", "start"
            ),
            stdout=subprocess.DEVNULL,
        )
        self.clusters.append(data)

    # -- PgBouncer, gunicorn, nginx -------------------------------------------
    def start_pgbouncer(self):
        folder = self.work / "pgbouncer"
        folder.mkdir()
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        (folder / "pgbouncer.ini").write_text(
            f"[databases]\n{DB} = host=127.0.0.1 port={PRIMARY_PORT} dbname={DB}\n"
            f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {BOUNCER_PORT}\n"
            "unix_socket_dir =\nauth_type = trust\n"
            f"auth_file = {folder / 'userlist.txt'}\npool_mode = transaction\n"
            "max_client_conn = 400\ndefault_pool_size = 20\n"
            "log_connections = 0\nlog_disconnections = 0\n"
            f"logfile = {folder / 'pgbouncer.log'}\nignore_startup_parameters = options\n"
        )
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        self.processes["pgbouncer"] = subprocess.Popen(  # noqa: S603
            as_postgres(binary, str(folder / "pgbouncer.ini")),
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: psql(BOUNCER_PORT, "SELECT 1") == [(1,)], "PgBouncer")

    def app_env(self):
        primary = f"postgres://postgres@127.0.0.1:{BOUNCER_PORT}/{DB}"
        return {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": loadtest_secret_key(primary),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": primary,
            "DATABASE_PGBOUNCER": "1",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DB}",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "AXES_PROXY_COUNT": "1",
        }

    def start_app(self, index):
        port = APP_PORTS[index]
        name = "AB"[index]
        log = self.work / f"gunicorn-{name}.log"
        self.processes[f"app{name}"] = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "connecting_people.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                setting("SCALETEST_GUNICORN_WORKERS", "2"),
                "--error-logfile",
                str(log),
            ],
            cwd=ROOT,
            env=self.app_env(),
            start_new_session=True,
        )
        wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), f"instance {name}")

    def kill_app(self, index):
        process = self.processes.pop(f"app{'AB'[index]}")
        os.killpg(process.pid, signal.SIGKILL)  # a crash: in-flight requests are lost
        process.wait()

    def start_nginx(self, ports=APP_PORTS):
        folder = self.work / "nginx"
        folder.mkdir(exist_ok=True)
        servers = "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in ports
        )
        (folder / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nuser root;\n"
            "events { worker_connections 1024; }\nhttp {\n"
            f"  log_format timed '{NGINX_LOG}';\n"
            f"  access_log {folder / 'access.log'} timed;\n"
            f"  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;\n"
            f"  fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi;\n"
            f"  scgi_temp_path {folder}/scgi;\n"
            f"  upstream app {{\n{servers}    keepalive 16;\n  }}\n"
            f"  server {{\n    listen 127.0.0.1:{NGINX_PORT};\n"
            "    location / {\n      proxy_pass http://app;\n"
            '      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n'
            "      proxy_set_header Host $http_host;\n"
            "      proxy_set_header X-Forwarded-For $remote_addr;\n"
            "      proxy_next_upstream error timeout http_502;\n"
            "      proxy_connect_timeout 2s;\n    }\n  }\n}\n"
        )
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.processes["nginx"] = subprocess.Popen(  # noqa: S603
            [binary, "-c", str(folder / "nginx.conf"), "-p", str(folder)],
            start_new_session=True,
        )
        wait_for(lambda: http_ok(f"http://127.0.0.1:{NGINX_PORT}/healthz"), "nginx")

    def stop_nginx(self):
        process = self.processes.pop("nginx")
        process.terminate()
        process.wait(timeout=10)

    def stop(self):
        for name, process in list(self.processes.items()):
            with _quiet():
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with _quiet():
                    os.killpg(process.pid, signal.SIGKILL)
            self.processes.pop(name, None)
        for data in reversed(self.clusters):
            subprocess.run(  # noqa: S603
                as_postgres(str(self.pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], (ProcessLookupError, PermissionError))


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def nginx_lines(path):
    """(epoch seconds, status, seconds, method, uri, upstream) for each request."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            stamp, status, took, rest = line.split(" ", 3)
            method, uri = rest.split('"')[1], rest.split('"')[3]
            upstream = rest.rsplit(" ", 1)[-1]
            rows.append((float(stamp), int(status), float(took), method, uri, upstream))
        except (ValueError, IndexError):
            continue
    return rows


def phase_figures(rows, start, end):
    chosen = [row for row in rows if start <= row[0] < end]
    errors = [row for row in chosen if row[1] >= 500 or row[1] == 0]
    p95 = percentile([row[2] for row in chosen], 0.95)
    return {
        "requests": len(chosen),
        "errors": len(errors),
        "error_posts": sum(1 for row in errors if row[3] == "POST"),
        "p95_ms": round(p95 * 1000) if p95 is not None else None,
        "per_second": round(len(chosen) / max(end - start, 1), 1),
    }


def locust(host, users, seconds, out, *, wait=None, extra_env=None):
    env = {**os.environ, "LOADTEST_OUT": str(out), "SCALETEST_OUT": str(out), **(extra_env or {})}
    if wait is not None:
        env.update(LOADTEST_WAIT_MIN=str(wait[0]), LOADTEST_WAIT_MAX=str(wait[1]))
    return subprocess.Popen(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "scale_locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            "8",
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "ERROR",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(out / "locust.out", "a"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
    )


def replica_dashboard_calls():
    rows = psql(
        REPLICA_PORT,
        "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
        "WHERE query ILIKE '%caseload_serviceuser%' OR query ILIKE '%caseload_stagechange%'",
    )
    return int(rows[0][0])


def main():
    people = setting("SCALETEST_PEOPLE", "2000")
    # At most 16: the volume data has 15 workers (shared by the worker and writer
    # users) and 5 supervisors, and measuring starts once every distinct account
    # has signed in.
    users = min(int(setting("SCALETEST_USERS", "16")), 16)
    phase = int(setting("SCALETEST_PHASE", "40"))
    throughput_seconds = int(setting("SCALETEST_THROUGHPUT_SECONDS", "30"))
    ensure_packages()
    work = Path(tempfile.mkdtemp(prefix="cp-scaletest-"))
    work.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    out = work / "out"
    out.mkdir()
    out.chmod(0o777)
    stack = Stack(work)
    started = time.monotonic()
    try:
        stack.make_primary()
        direct = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DB}"
        env = {**stack.app_env(), "DATABASE_URL": direct, "DATABASE_PGBOUNCER": "0"}
        env.pop("DATABASE_REPLICA_URL")
        manage = [sys.executable, "manage.py"]
        run(*manage, "migrate", "--noinput", "-v", "0", cwd=ROOT, env=env)
        t0 = time.perf_counter()
        run(
            *manage,
            "seed_demo",
            "--people",
            people,
            "--force",
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        print(f"Primary seeded with {people} volume people in {time.perf_counter() - t0:.0f} s.")
        run(*manage, "collectstatic", "--noinput", "-v", "0", cwd=ROOT, env=env)
        psql(PRIMARY_PORT, "ANALYZE")
        stack.make_replica()
        stack.start_pgbouncer()
        stack.start_app(0)
        stack.start_app(1)
        stack.start_nginx()
        host = f"http://127.0.0.1:{NGINX_PORT}"
        print(f"Two instances behind nginx on {host}, PgBouncer (transaction mode), replica.")
        psql(REPLICA_PORT, "SELECT pg_stat_statements_reset()")
        before_calls = replica_dashboard_calls()

        # -- the three phases ---------------------------------------------------
        load = locust(host, users, 3 * phase + 25, out, extra_env={"SCALETEST_RUN": "main"})
        wait_for(lambda: (out / "measure_from").exists(), "every user signing in", 120)
        t_start = time.time()
        time.sleep(phase)
        t_kill = time.time()
        stack.kill_app(1)
        print("Instance B killed (SIGKILL).")
        time.sleep(phase)
        t_back = time.time()
        stack.start_app(1)
        print("Instance B started again.")
        time.sleep(phase)
        t_end = time.time()
        load.wait()
        rows = nginx_lines(work / "nginx" / "access.log")
        phases = {
            "before (2 instances)": phase_figures(rows, t_start, t_kill),
            "during (B killed)": phase_figures(rows, t_kill, t_back),
            "after (B back)": phase_figures(rows, t_back, t_end),
        }
        acked_file = out / "acked.txt"
        acked = acked_file.read_text().split() if acked_file.exists() else []
        stored = dict(
            psql(
                PRIMARY_PORT,
                "SELECT what_we_did, count(*) FROM caseload_session "
                "WHERE what_we_did LIKE 'scaletest-main-%' GROUP BY what_we_did",
            )
        )
        lost = sorted(set(acked) - set(stored))
        doubled = sum(1 for count in stored.values() if count > 1)
        double_file = out / "double.txt"
        double_sent = len(double_file.read_text().split()) if double_file.exists() else 0
        replica_calls = replica_dashboard_calls() - before_calls
        primary_dashboards = sum(1 for row in rows if row[4] == "/dashboard/" and row[1] == 200)

        # -- throughput: one instance against two, no think time --------------
        throughput = {}
        for label, ports in [("one instance", APP_PORTS[:1]), ("two instances", APP_PORTS)]:
            stack.stop_nginx()
            (work / "nginx" / "access.log").unlink()
            stack.start_nginx(ports)
            (out / "measure_from").unlink(missing_ok=True)
            # Every run signs its users in again from one address: let the sign-in
            # rate limit (allauth, per address per minute) start afresh.
            time.sleep(61)
            tp = locust(
                host,
                users,
                throughput_seconds + 15,
                out,
                wait=(0, 0.05),
                extra_env={"SCALETEST_RUN": label.replace(" ", "-")},
            )
            wait_for(lambda: (out / "measure_from").exists(), "every user signing in", 120)
            t1 = time.time()
            time.sleep(throughput_seconds)
            t2 = time.time()
            tp.wait()
            throughput[label] = phase_figures(nginx_lines(work / "nginx" / "access.log"), t1, t2)
    finally:
        stack.stop()
        keep = setting("SCALETEST_KEEP", "0") == "1"
        if not keep:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(
        f"{'phase':22} {'requests':>8} {'req/s':>6} {'errors':>6} {'of them POST':>12} {'p95':>8}"
    )
    for name, figures in phases.items():
        print(
            f"{name:22} {figures['requests']:8} {figures['per_second']:6} {figures['errors']:6} "
            f"{figures['error_posts']:12} {figures['p95_ms'] or 0:6} ms"
        )
    print()
    print(
        f"Writes acknowledged: {len(acked)}; lost (acknowledged, not in the primary): {len(lost)}"
    )
    print(f"Forms sent twice with one token: {double_sent}; sessions stored twice: {doubled}")
    print(
        f"Dashboard queries run on the replica (pg_stat_statements): {replica_calls} "
        f"for {primary_dashboards} dashboard pages served"
    )
    print()
    print(f"{'throughput, no think time':26} {'req/s':>6} {'p95':>8} {'errors':>6}")
    for label, figures in throughput.items():
        print(
            f"{label:26} {figures['per_second']:6} {figures['p95_ms'] or 0:6} ms "
            f"{figures['errors']:6}"
        )
    one, two = throughput["one instance"]["per_second"], throughput["two instances"]["per_second"]
    if one:
        print(f"Two instances / one: {two / one:.2f}× the requests per second")
    print(
        f"\nTook {time.monotonic() - started:.0f} s; "
        + ("kept " + str(work) if keep else "cleaned up.")
    )
    return 1 if lost or doubled or not replica_calls else 0


if __name__ == "__main__":
    sys.exit(main())
