"""Time the caseload list as a supervisor would see it, on volume data.

    DJANGO_DEBUG=1 python manage.py bench_caseload            # 10,000 people x 20 sessions
    python manage.py bench_caseload --people 2000 --runs 5    # smaller

Seeds the volume people first when there are fewer than ``--people`` (the same
data as ``seed_demo --people N``), then renders each page through the full
middleware stack in-process (server-side time, no network) and prints the
median, fastest and slowest of ``--runs`` runs with the query count.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from caseload.demo import seed_volume
from caseload.models import ServiceUser, Session

PAGES = [
    ("first page", ""),
    ("filtered: no contact 28+ days, stage connect", "?no_contact=on&stage=connect"),
    ("search by name", "?q=alex"),
    ("sorted by last contact, page 3", "?sort=-last_contact&page=3"),
]


class Command(BaseCommand):
    help = "Measure the supervisor's caseload list on volume data (seeds it when missing)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--sessions-per-person", type=int, default=20)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--force", action="store_true", help="Seed even when DEBUG is off.")

    def handle(self, *args, **options):
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        have = ServiceUser.objects.filter(reference__startswith="VOL-").count()
        if have < options["people"]:
            if not settings.DEBUG and not options["force"]:
                raise CommandError("Seeding volume data needs DEBUG on (or --force on a test box).")
            started = time.perf_counter()
            with transaction.atomic():
                added, sessions = seed_volume(
                    people=options["people"], sessions_per_person=options["sessions_per_person"]
                )
            self.stdout.write(
                f"Seeded {added} people and {sessions} sessions in "
                f"{time.perf_counter() - started:.1f} s."
            )
            if connection.vendor == "postgresql":
                # Fresh rows have no planner statistics until autovacuum runs; a
                # live system always has them, so gather them now.
                with connection.cursor() as cursor:
                    for model in (ServiceUser, Session, User):
                        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(
            f"Data: {ServiceUser.objects.count()} people, {Session.objects.count()} sessions "
            f"({connection.vendor})."
        )
        supervisor = User.objects.get(username="volume.supervisor1")
        worker = User.objects.get(username="volume.worker01")
        for who, user in [("supervisor", supervisor), ("worker", worker)]:
            client = Client(SERVER_NAME="localhost")
            client.force_login(user)
            for label, query in PAGES:
                url = f"/people/{query}"
                client.get(url)  # warm caches and connections
                times = []
                for _ in range(options["runs"]):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url} gave {response.status_code}")
                self.stdout.write(
                    f"{who:10} {label:48} median {statistics.median(times):6.1f} ms  "
                    f"min {min(times):6.1f}  max {max(times):6.1f}  "
                    f"queries {len(queries.captured_queries)}"
                )
