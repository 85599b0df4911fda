"""Time the caseload list as a supervisor would see it, on volume data.

    DJANGO_DEBUG=1 python manage.py bench_caseload            # 10,000 people x 20 sessions
    python manage.py bench_caseload --people 2000 --runs 5    # smaller

Seeds the volume people first when there are fewer than ``--people`` (the same
data as ``seed_demo --people N``), then renders each page through the full
middleware stack in-process (server-side time, no network) and prints the
median, fastest and slowest of ``--runs`` runs with the query count.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from caseload.benchmarking import client_for, ensure_volume, report_line, time_page

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
        ensure_volume(
            people=options["people"],
            sessions_per_person=options["sessions_per_person"],
            force=options["force"],
            stdout=self.stdout,
        )
        supervisor = User.objects.get(username="volume.supervisor1")
        worker = User.objects.get(username="volume.worker01")
        for who, user in [("supervisor", supervisor), ("worker", worker)]:
            client = client_for(user)
            for label, query in PAGES:
                timing = time_page(client, f"/people/{query}", runs=options["runs"])
                self.stdout.write(report_line(who, label, timing))
