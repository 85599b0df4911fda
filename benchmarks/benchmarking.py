"""Shared by the benchmark commands: volume data and timing pages in-process."""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from caseload.models import ServiceUser, Session, StageChange

from .volume import seed_volume, seed_volume_outcomes


def ensure_volume(*, people, sessions_per_person, force, stdout):
    """Seed the volume people (``seed_demo --people``) when fewer than ``people`` exist."""
    have = ServiceUser.objects.filter(reference__startswith="VOL-").count()
    if have < people:
        if not settings.DEBUG and not force:
            raise CommandError("Seeding volume data needs DEBUG on (or --force on a test box).")
        started = time.perf_counter()
        with transaction.atomic():
            added, sessions = seed_volume(people=people, sessions_per_person=sessions_per_person)
            seed_volume_outcomes()
        stdout.write(
            f"Seeded {added} people and {sessions} sessions in "
            f"{time.perf_counter() - started:.1f} s."
        )
        if connection.vendor == "postgresql":
            # Fresh rows have no planner statistics until autovacuum runs; a
            # live system always has them, so gather them now.
            with connection.cursor() as cursor:
                for model in (ServiceUser, Session, StageChange, User):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    stdout.write(
        f"Data: {ServiceUser.objects.count()} people, {Session.objects.count()} sessions "
        f"({connection.vendor})."
    )


def client_for(user):
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client


def time_page(client, url, *, runs):
    """Render ``url`` ``runs`` times after one warm-up; return (median, min, max, queries)."""
    client.get(url)  # warm caches and connections
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"{url} gave {response.status_code}")
    return statistics.median(times), min(times), max(times), len(queries.captured_queries)


def report_line(who, label, timing):
    median, fastest, slowest, queries = timing
    return (
        f"{who:10} {label:48} median {median:6.1f} ms  "
        f"min {fastest:6.1f}  max {slowest:6.1f}  queries {queries}"
    )


class VolumeBenchCommand(BaseCommand):
    """A benchmark command on volume data: ``--people``, ``--sessions-per-person``,
    ``--runs`` and ``--force``; subclasses implement ``measure(runs)``."""

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--sessions-per-person", type=int, default=20)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--force", action="store_true", help="Seed even when DEBUG is off.")

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        ensure_volume(
            people=options["people"],
            sessions_per_person=options["sessions_per_person"],
            force=options["force"],
            stdout=self.stdout,
        )
        self.measure(options["runs"])

    def measure(self, runs):
        raise NotImplementedError

    def report(self, who, label, user, url, runs):
        self.stdout.write(report_line(who, label, time_page(client_for(user), url, runs=runs)))
